package io.pgroll.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A database of its own for one test class, on the JVM's shared test server. */
public final class TestDatabase implements AutoCloseable {
    private final TestPostgres.Server server;
    private final String name;

    TestDatabase(TestPostgres.Server server, String name) {
        this.server = server;
        this.name = name;
    }

    public static TestDatabase create(String hint) {
        return TestPostgres.createDatabase(hint);
    }

    public String name() {
        return name;
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    /** {@code jdbc:postgresql://host:port/db}, without credentials. */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** {@code postgres://user:password@host:port/db}, as pgroll's CLI takes it. */
    public String postgresUrl() {
        return "postgres://" + server.user() + ":" + server.password() + "@" + server.host() + ":" + server.port() + "/"
                + name;
    }

    /** A superuser connection. */
    public Connection connect() throws SQLException {
        return connect(server.user(), server.password());
    }

    public Connection connect(String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    /** A superuser data source. */
    public DataSource dataSource() {
        return dataSource(server.user(), server.password());
    }

    public DataSource dataSource(String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {server.host()});
        ds.setPortNumbers(new int[] {server.port()});
        ds.setDatabaseName(name);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    /** Runs statements as superuser, each on its own, in autocommit. */
    public void execute(String... statements) {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Runs a query as superuser and returns its rows, each column rendered as text (null as null). */
    public List<List<String>> query(String sql) {
        try (Connection c = connect()) {
            return Rows.rows(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The single value of a one-row, one-column query. */
    public String queryValue(String sql) {
        List<List<String>> rows = query(sql);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row from " + sql + " but got " + rows.size());
        }
        return rows.get(0).get(0);
    }

    @Override
    public void close() {
        TestPostgres.dropDatabase(server, name);
    }
}
