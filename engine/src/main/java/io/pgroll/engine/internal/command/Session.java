package io.pgroll.engine.internal.command;

import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.internal.EngineSettings;
import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.catalog.CatalogSchema;
import io.pgroll.engine.internal.catalog.SchemaReader;
import io.pgroll.engine.internal.sql.LockSafeExecutor;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.internal.sql.StatementObserver;
import io.pgroll.engine.internal.state.AdvisoryLock;
import io.pgroll.engine.internal.state.History;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * One command's connection, set up once: the role, a recognisable application_name (it is what a
 * waiting migrator's error shows), the target schema on the search path (so unqualified names in
 * {@code sql} operations land there), our own DDL marked so event triggers do not record it twice,
 * and, for commands that change things, the schema's advisory lock.
 */
final class Session implements AutoCloseable {
    private final EngineSettings settings;
    private final Connection connection;
    private final History history;
    private final AdvisoryLock lock;
    private final StatementObserver observer;
    private boolean locked;
    /** The deadlock_timeout the executor's transactions set, if lower than the server's (see LockSafeExecutor). */
    private Optional<Duration> autovacuumCancelAfter = Optional.empty();

    private Session(EngineSettings settings, Connection connection, StatementObserver observer) {
        this.settings = settings;
        this.connection = connection;
        this.observer = observer;
        this.history = new History(connection, settings.stateSchema(), settings.schema());
        this.lock = new AdvisoryLock(settings.stateSchema(), settings.schema());
    }

    /**
     * pgJDBC says only "The connection attempt failed" when the host's name does not resolve; the
     * cause names it.
     */
    private static String cannotConnect(SQLException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException unknown) {
                return "Cannot connect to PostgreSQL: unknown host " + unknown.getMessage()
                        + " (the name does not resolve) [SQLSTATE " + e.getSQLState() + "]. Check the host in the URL.";
            }
        }
        return "Cannot connect to PostgreSQL: " + Failures.sqlMessage(e)
                + ". Check the URL, the credentials and that the server is running.";
    }

    static Session open(EngineSettings settings, String command) {
        Connection connection;
        try {
            connection = settings.dataSource().getConnection();
        } catch (SQLException e) {
            throw new PgrollException(ErrorKind.CONNECTION_FAILED, cannotConnect(e), e);
        }
        Session session = new Session(settings, connection, StatementObserver.NONE);
        try (Statement st = connection.createStatement()) {
            connection.setAutoCommit(true);
            if (settings.role() != null && !settings.role().isBlank()) {
                st.execute("SET ROLE " + Sql.ident(settings.role()));
            }
            st.execute("SET application_name = " + Sql.literal("pgroll " + command));
            st.execute("SET search_path = " + Sql.ident(settings.schema()));
            st.execute("SET pgroll.no_inferred_migrations = 'TRUE'");
            // after SET ROLE: whether we may set it is the role's privilege; half the lock timeout
            Duration half = settings.lockTimeout().dividedBy(2);
            session.autovacuumCancelAfter = CatalogQueries.deadlockTimeoutWeMaySet(connection)
                    .filter(current -> current.compareTo(half) > 0)
                    .map(current -> half);
        } catch (SQLException e) {
            session.close();
            throw new PgrollException(
                    ErrorKind.DATABASE_ERROR, "Cannot prepare the session: " + Failures.sqlMessage(e), e);
        }
        return session;
    }

    /**
     * A session on this one's connection for another schema, whose statements {@code observer} sees: a
     * rehearsal of a command on a copy. It is never closed itself; the search path is this session's to reset.
     */
    Session rehearsal(EngineSettings rehearsed, StatementObserver observer) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SET search_path = " + Sql.ident(rehearsed.schema()));
        }
        Session rehearsal = new Session(rehearsed, connection, observer);
        rehearsal.autovacuumCancelAfter = autovacuumCancelAfter;
        return rehearsal;
    }

    Connection connection() {
        return connection;
    }

    History history() {
        return history;
    }

    EngineSettings settings() {
        return settings;
    }

    MigrationListener listener() {
        return settings.listener();
    }

    LockSafeExecutor executor() {
        return new LockSafeExecutor(
                connection,
                settings.lockTimeout(),
                settings.lockRetryBudget(),
                settings.concurrentStatementTimeout(),
                autovacuumCancelAfter,
                settings.listener(),
                age -> new CatalogQueries(connection, settings.schema()).lockHolders(age),
                observer);
    }

    /** The target schema's catalog as it is now. */
    CatalogSchema catalog() throws SQLException {
        return SchemaReader.read(connection, settings.stateSchema(), settings.schema());
    }

    /** Takes the schema's migration lock; released by {@link #close}. */
    void lock() throws SQLException {
        lock.acquire(connection, settings.migratorWait());
        locked = true;
    }

    /**
     * Releases the lock and hands the connection back as it came: the DataSource may be the
     * application's pool. A connection that may still hold the lock is aborted instead, so that a pool
     * discards it (the server releases a session's advisory locks when its backend ends).
     */
    @Override
    public void close() {
        boolean clean = false;
        try {
            if (!connection.isClosed()) {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
                boolean released = !locked || lock.release(connection);
                try (Statement st = connection.createStatement()) {
                    st.execute("RESET ROLE");
                    st.execute("RESET ALL");
                }
                clean = released;
                if (!released) {
                    settings.listener()
                            .notice("The migration lock of schema \"" + settings.schema() + "\" was not held at the"
                                    + " end of the command; its connection is discarded rather than reused.");
                }
            }
        } catch (SQLException e) {
            clean = false;
        } finally {
            closeOrAbort(clean);
        }
    }

    private void closeOrAbort(boolean clean) {
        try {
            if (clean) {
                connection.close();
            } else {
                connection.abort(Runnable::run);
            }
        } catch (SQLException ignored) {
            // nothing more can be released from here
        }
    }
}
