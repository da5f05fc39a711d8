package io.pgroll.engine.internal.operations;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.internal.sql.LockSafeExecutor;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.internal.state.StateStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One command's connection, set up once: the role, a recognisable application_name (it is what a
 * waiting migrator's error shows), the target schema on the search path (so unqualified names in
 * {@code sql} operations land there), our own DDL marked so event triggers do not record it twice,
 * and, for commands that change things, the schema's advisory lock.
 */
final class MigrationSession implements AutoCloseable {
    private final EngineSettings settings;
    private final Connection connection;
    private final StateStore state;
    private boolean locked;

    private MigrationSession(EngineSettings settings, Connection connection) {
        this.settings = settings;
        this.connection = connection;
        this.state = new StateStore(settings.stateSchema());
    }

    static MigrationSession open(EngineSettings settings, String command) {
        Connection connection;
        try {
            connection = settings.dataSource().getConnection();
        } catch (SQLException e) {
            throw new PgrollException(
                    ErrorKind.CONNECTION_FAILED,
                    "Cannot connect to PostgreSQL: " + e.getMessage()
                            + (e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]")
                            + ". Check the URL, the credentials and that the server is running.",
                    e);
        }
        MigrationSession session = new MigrationSession(settings, connection);
        try (Statement st = connection.createStatement()) {
            connection.setAutoCommit(true);
            if (settings.role() != null && !settings.role().isBlank()) {
                st.execute("SET ROLE " + Sql.ident(settings.role()));
            }
            st.execute("SET application_name = " + Sql.literal("pgroll " + command));
            st.execute("SET search_path = " + Sql.ident(settings.schema()));
            st.execute("SET pgroll.no_inferred_migrations = 'TRUE'");
        } catch (SQLException e) {
            session.close();
            throw new PgrollException(ErrorKind.DATABASE_ERROR, "Cannot prepare the session: " + e.getMessage(), e);
        }
        return session;
    }

    Connection connection() {
        return connection;
    }

    StateStore state() {
        return state;
    }

    EngineSettings settings() {
        return settings;
    }

    LockSafeExecutor executor() {
        return new LockSafeExecutor(
                connection,
                settings.lockTimeout(),
                settings.lockRetryBudget(),
                settings.concurrentStatementTimeout(),
                settings.listener());
    }

    /** Takes the schema's migration lock; released by {@link #close}. */
    void lock() throws SQLException {
        state.lock(connection, settings.schema(), settings.migratorWait());
        locked = true;
    }

    @Override
    public void close() {
        try {
            if (locked && !connection.isClosed()) {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
                state.unlock(connection, settings.schema());
            }
            if (!connection.isClosed()) {
                // the DataSource may be the application's pool: hand its connection back as it came
                try (Statement st = connection.createStatement()) {
                    st.execute("RESET ROLE");
                    st.execute("RESET ALL");
                }
            }
        } catch (SQLException ignored) {
            // closing the connection releases a session advisory lock anyway
        } finally {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
        }
    }
}
