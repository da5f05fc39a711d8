package io.pgroll.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Fault injection for tests: a DataSource whose connections stop working right after the k-th
 * statement, the way a migrator's connection does when its process is killed or its backend
 * terminated. The statement itself ran to its end on the server; whatever its transaction had not
 * committed is lost, and nothing after it reaches the server.
 *
 * <p>A <em>step</em> is a statement executed (any {@code execute*} of a statement or prepared
 * statement), a {@code commit()}, or a {@code setAutoCommit} call, which may commit too. A recording run
 * ({@link #recording}) counts the steps of a command and marks those after which the committed state
 * differs from the step before, judged by the server's WAL insert position: a step that wrote nothing
 * durable (a catalog read, a statement inside a transaction that is not committed yet) leaves the same
 * database as the step before it, so a crash after it is the same crash.
 */
public final class CrashingDataSource implements DataSource {
    /** How the connection dies. */
    public enum Crash {
        /** The client drops the socket, as a killed process's operating system does. */
        ABANDON,
        /** The server ends the backend ({@code pg_terminate_backend}), as an administrator or a failover does. */
        TERMINATE,
        /** The whole JVM is killed ({@code kill -9}): for a migrator run in a process of its own. */
        KILL_PROCESS
    }

    /** One step of a recorded command: its number from 1, what it was, and whether it changed what is committed. */
    public record Step(int number, String what, boolean changesCommittedState) {}

    private final DataSource target;
    private final int crashAfter;
    private final Crash crash;
    private final Runnable elsewhere;
    private final List<Step> steps = new ArrayList<>();
    private int count;
    private boolean crashed;
    private String crashedAfter;
    private String lastLsn;

    private CrashingDataSource(DataSource target, int crashAfter, Crash crash, Runnable elsewhere) {
        this.target = target;
        this.crashAfter = crashAfter;
        this.crash = crash;
        this.elsewhere = elsewhere;
    }

    /** Connections that never crash and record every step and whether it changed the committed state. */
    public static CrashingDataSource recording(DataSource superuser) {
        CrashingDataSource ds = new CrashingDataSource(superuser, Integer.MAX_VALUE, Crash.ABANDON, null);
        ds.lastLsn = ds.walPosition();
        return ds;
    }

    /**
     * Connections that die right after the {@code step}-th step (counted over all of them). The data
     * source must be a superuser's to terminate a backend.
     */
    public static CrashingDataSource crashingAfter(DataSource superuser, int step, Crash crash) {
        return new CrashingDataSource(superuser, step, crash, null);
    }

    /**
     * Connections after whose {@code step}-th step {@code crash} happens elsewhere (the server is stopped,
     * say) before the connection is dropped.
     */
    public static CrashingDataSource crashingAfter(DataSource target, int step, Runnable crash) {
        return new CrashingDataSource(target, step, Crash.ABANDON, crash);
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** Whether the crash happened: a command that ended before its k-th step never met it. */
    public boolean crashed() {
        return crashed;
    }

    /** The statement (or commit) right after which the connection died, or null before the crash. */
    public String crashedAfter() {
        return crashedAfter;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(target.getConnection(username, password));
    }

    private Connection wrap(Connection raw) throws SQLException {
        int pid;
        try (Statement st = raw.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
        }
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new ConnectionHandler(raw, pid));
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection raw;
        private final int pid;

        ConnectionHandler(Connection raw, int pid) {
            this.raw = raw;
            this.pid = pid;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            boolean wasInTransaction = !raw.isClosed() && !raw.getAutoCommit();
            Object result = call(raw, method, args);
            if (result instanceof Statement statement && name.startsWith("prepare")) {
                return statementProxy(statement, (String) args[0], this);
            }
            if (result instanceof Statement statement) {
                return statementProxy(statement, null, this);
            }
            if (name.equals("commit") || (name.equals("setAutoCommit") && wasInTransaction)) {
                stepDone(name + "()", true, this);
            }
            return result;
        }

        void die() {
            crashed = true;
            if (elsewhere != null) {
                elsewhere.run();
            }
            try {
                switch (crash) {
                    case KILL_PROCESS -> killThisProcess();
                    case TERMINATE -> observe("SELECT pg_terminate_backend(" + pid + ")");
                    case ABANDON -> {
                        // the socket is dropped below
                    }
                }
                raw.abort(Runnable::run);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot crash the connection: " + e.getMessage(), e);
            }
        }
    }

    private Object statementProxy(Statement statement, String preparedSql, ConnectionHandler connection) {
        Class<?> type =
                statement instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
        InvocationHandler handler = (proxy, method, args) -> {
            Object result = call(statement, method, args);
            if (method.getName().startsWith("execute")) {
                String sql = preparedSql != null ? preparedSql : (String) args[0];
                stepDone(sql, connection.raw.getAutoCommit(), connection);
            }
            return result;
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    /**
     * Counts a step; crashes after it when it is the chosen one. {@code mayCommit}: it ran outside a
     * transaction or ended one, so its effect, if any, is committed now.
     */
    private void stepDone(String what, boolean mayCommit, ConnectionHandler connection) throws SQLException {
        count++;
        if (crashAfter == Integer.MAX_VALUE) {
            boolean changed = false;
            if (mayCommit) {
                String lsn = walPosition();
                changed = !lsn.equals(lastLsn);
                lastLsn = lsn;
            }
            steps.add(new Step(count, oneLine(what), changed));
        }
        if (count == crashAfter) {
            crashedAfter = oneLine(what);
            connection.die();
            throw new SQLException(
                    "injected crash: the connection died right after step " + count + " (" + oneLine(what) + ")",
                    "08006");
        }
    }

    private String walPosition() {
        try {
            return observe("SELECT pg_current_wal_insert_lsn()");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the WAL position: " + e.getMessage(), e);
        }
    }

    /** One value from a connection of its own, never one of the command's. */
    private String observe(String sql) throws SQLException {
        try (Connection c = target.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** SIGKILL, not an exit: no finally block, shutdown hook or socket close of ours runs. */
    private static void killThisProcess() {
        try {
            Process kill = new ProcessBuilder(
                            "kill", "-9", Long.toString(ProcessHandle.current().pid()))
                    .inheritIO()
                    .start();
            kill.waitFor();
            Thread.sleep(60_000);
        } catch (IOException e) {
            Runtime.getRuntime().halt(137);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Runtime.getRuntime().halt(137);
        }
        Runtime.getRuntime().halt(137);
    }

    private static String oneLine(String sql) {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() > 160 ? flat.substring(0, 157) + "..." : flat;
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no log
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the target's own
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
