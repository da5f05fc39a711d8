package io.pgroll.engine.internal.state;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.internal.schema.SchemaReader;
import io.pgroll.engine.internal.sql.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The migration history in the state schema: how it is created, read and written, and the advisory
 * lock that serialises migrators of one schema. All SQL on the state tables lives here.
 */
public final class StateStore {
    /** What this tool writes into pgroll_version: the pgroll release whose state layout it keeps. */
    public static final String STATE_VERSION = "0.14.0";

    private final String stateSchema;

    public StateStore(String stateSchema) {
        this.stateSchema = stateSchema;
    }

    public String stateSchema() {
        return stateSchema;
    }

    private String table(String name) {
        return Sql.qualified(stateSchema, name);
    }

    /**
     * Creates or upgrades the state schema; idempotent. Returns false when the role is not a superuser,
     * in which case the event triggers that record DDL made outside the tool are not installed.
     */
    public boolean init(Connection c) throws SQLException {
        boolean superuser = isSuperuser(c);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            // Serialise concurrent inits: CREATE ... IF NOT EXISTS is not safe against a concurrent twin.
            st.execute("SELECT pg_advisory_xact_lock(hashtext(" + Sql.literal("pgroll-init:" + stateSchema) + "))");
            st.execute("SET LOCAL pgroll.no_inferred_migrations = 'TRUE'");
            for (String sql : script("init.sql")) {
                st.execute(sql);
            }
            st.execute(SchemaReader.functionSql(stateSchema));
            if (superuser) {
                for (String sql : script("inferred.sql")) {
                    st.execute(sql);
                }
            }
            st.execute("INSERT INTO " + table("pgroll_version") + " (version) SELECT " + Sql.literal(STATE_VERSION)
                    + " WHERE NOT EXISTS (SELECT 1 FROM " + table("pgroll_version") + ")");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return superuser;
    }

    public boolean isInitialized(Connection c) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT to_regclass(quote_ident(?) || '.migrations') IS NOT NULL")) {
            ps.setString(1, stateSchema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public void requireInitialized(Connection c) throws SQLException {
        if (!isInitialized(c)) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    "The state schema \"" + stateSchema + "\" does not exist in this database. Run `pgroll init` "
                            + "first (or pass --pgroll-schema if the history is kept in another schema).");
        }
    }

    private static boolean isSuperuser(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private List<String> script(String resource) {
        try (InputStream in = StateStore.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{state_schema}", Sql.ident(stateSchema));
            List<String> statements = new ArrayList<>();
            for (String part : text.split("(?m)^--;\\s*$")) {
                String sql = part.strip();
                if (!sql.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
                    statements.add(sql);
                }
            }
            return statements;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the advisory lock ----

    /**
     * Takes the session advisory lock of (state schema, schema), waiting up to {@code wait}. Ten
     * replicas of an application starting at once all call this: one migrates, the others wait, then
     * find the work done. On timeout the error names the session that holds the lock.
     */
    public void lock(Connection c, String schema, Duration wait) throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        long sleep = 50;
        while (true) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?), hashtext(?))")) {
                ps.setString(1, "pgroll:" + stateSchema);
                ps.setString(2, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new PgrollException(
                        ErrorKind.LOCKED,
                        "Another migrator is working on schema \"" + schema + "\" (" + holder(c, schema)
                                + ") and did not finish within " + wait.toSeconds() + " s. Wait for it to finish, "
                                + "or raise the wait; nothing was changed.");
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the migration lock", "57014", e);
            }
            sleep = Math.min(sleep * 2, 1000);
        }
    }

    public void unlock(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?), hashtext(?))")) {
            ps.setString(1, "pgroll:" + stateSchema);
            ps.setString(2, schema);
            ps.execute();
        }
    }

    private String holder(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                """
                SELECT a.pid, a.application_name, a.usename, a.client_addr, a.backend_start
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted
                  AND l.classid = hashtext(?)::oid AND l.objid = hashtext(?)::oid AND l.objsubid = 2
                """)) {
            ps.setString(1, "pgroll:" + stateSchema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "the holder has just released it";
                }
                String app = rs.getString(2);
                return "held by backend pid " + rs.getInt(1)
                        + (app == null || app.isEmpty() ? "" : " \"" + app + "\"")
                        + " as " + rs.getString(3)
                        + (rs.getString(4) == null ? "" : " from " + rs.getString(4))
                        + " since " + rs.getObject(5, OffsetDateTime.class);
            }
        }
    }

    // ---- reading the history ----

    private static final String COLUMNS =
            "schema, name, migration::text, parent, done, migration_type, created_at, updated_at";

    public Optional<MigrationRecord> activeMigration(Connection c, String schema) throws SQLException {
        return single(
                c, "SELECT " + COLUMNS + " FROM " + table("migrations") + " WHERE schema = ? AND NOT done", schema);
    }

    public Optional<MigrationRecord> latestMigration(Connection c, String schema) throws SQLException {
        return single(
                c,
                "SELECT " + COLUMNS + " FROM " + table("migrations") + " WHERE schema = ? AND name = "
                        + Sql.ident(stateSchema) + ".latest_migration(?)",
                schema,
                schema);
    }

    public Optional<MigrationRecord> migration(Connection c, String schema, String name) throws SQLException {
        return single(
                c,
                "SELECT " + COLUMNS + " FROM " + table("migrations") + " WHERE schema = ? AND name = ?",
                schema,
                name);
    }

    /** The version schema suffix {@code depth} pgroll-type migrations back from the head, if any. */
    public Optional<String> versionSchema(Connection c, String schema, int depth) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + Sql.ident(stateSchema) + ".find_version_schema(?, ?)")) {
            ps.setString(1, schema);
            ps.setInt(2, depth);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getString(1));
            }
        }
    }

    /** The whole history of a schema, oldest first, following the parent chain. */
    public List<MigrationRecord> history(Connection c, String schema) throws SQLException {
        String sql = "WITH RECURSIVE h AS (SELECT m.*, 0 AS depth FROM " + table("migrations")
                + " m WHERE m.schema = ? AND m.parent IS NULL UNION ALL SELECT m.*, h.depth + 1 FROM "
                + table("migrations") + " m JOIN h ON m.schema = h.schema AND m.parent = h.name) SELECT " + COLUMNS
                + " FROM h ORDER BY depth";
        List<MigrationRecord> records = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(record(rs));
                }
            }
        }
        return records;
    }

    private Optional<MigrationRecord> single(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(record(rs)) : Optional.empty();
            }
        }
    }

    private static MigrationRecord record(ResultSet rs) throws SQLException {
        return new MigrationRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getBoolean(5),
                rs.getString(6),
                rs.getObject(7, OffsetDateTime.class),
                rs.getObject(8, OffsetDateTime.class));
    }

    // ---- writing the history ----

    /** Records a started migration as the new head of the history. */
    public void recordStart(Connection c, String schema, String name, String migrationJson, String type)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table("migrations")
                + " (schema, name, migration, parent, done, migration_type) VALUES (?, ?, ?::jsonb, "
                + Sql.ident(stateSchema) + ".latest_migration(?), false, ?)")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.setString(3, migrationJson);
            ps.setString(4, schema);
            ps.setString(5, type);
            ps.executeUpdate();
        }
    }

    /** The phases of an active migration that the state records beyond pgroll's own table. */
    public enum Phase {
        /** start finished: everything is in place, the version schema published. */
        STARTED("started"),
        /** complete began: the previous version is going or gone. */
        COMPLETING("completing"),
        /** rollback began: some operations may be undone already, so only rollback may go on. */
        ROLLING_BACK("rolling back");

        private final String word;

        Phase(String word) {
            this.word = word;
        }
    }

    /** Records that a migration reached a phase; committed before the work that depends on it. */
    public void recordPhase(Connection c, String schema, String name, Phase phase) throws SQLException {
        recordPhase(c, schema, name, phase.word);
    }

    /** Records that complete of the migration's operation {@code index} (0-based) committed. */
    public void recordOperationCompleted(Connection c, String schema, String name, int index) throws SQLException {
        recordPhase(c, schema, name, "completed operation " + (index + 1));
    }

    /** Records that start of the migration's operation {@code index} (0-based) finished. */
    public void recordOperationStarted(Connection c, String schema, String name, int index) throws SQLException {
        recordPhase(c, schema, name, startedOperation(index));
    }

    /**
     * The statement that records what {@link #recordOperationStarted} does, for an operation whose start
     * is one transaction to run inside it: then a crash can never leave its work done but unrecorded.
     */
    public String recordOperationStartedStatement(String schema, String name, int index) {
        return "INSERT INTO " + table("phases") + " (schema, name, phase) VALUES (" + Sql.literal(schema) + ", "
                + Sql.literal(name) + ", " + Sql.literal(startedOperation(index))
                + ") ON CONFLICT (schema, name, phase) DO NOTHING";
    }

    /** Whether start of the migration's operation {@code index} (0-based) finished. */
    public boolean operationStarted(Connection c, String schema, String name, int index) throws SQLException {
        return phase(c, schema, name, startedOperation(index)).isPresent();
    }

    private static String startedOperation(int index) {
        return "started operation " + (index + 1);
    }

    /** Records that rollback of the migration's operation {@code index} (0-based) finished. */
    public void recordOperationRolledBack(Connection c, String schema, String name, int index) throws SQLException {
        recordPhase(c, schema, name, "rolled back operation " + (index + 1));
    }

    /** Whether rollback of the migration's operation {@code index} (0-based) finished. */
    public boolean operationRolledBack(Connection c, String schema, String name, int index) throws SQLException {
        return phase(c, schema, name, "rolled back operation " + (index + 1)).isPresent();
    }

    /** Whether complete of the migration's operation {@code index} (0-based) committed. */
    public boolean operationCompleted(Connection c, String schema, String name, int index) throws SQLException {
        return phase(c, schema, name, "completed operation " + (index + 1)).isPresent();
    }

    private void recordPhase(Connection c, String schema, String name, String phase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table("phases")
                + " (schema, name, phase) VALUES (?, ?, ?) ON CONFLICT (schema, name, phase) DO NOTHING")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.setString(3, phase);
            ps.executeUpdate();
        }
    }

    /** When the migration reached the phase, if it has. */
    public Optional<OffsetDateTime> phase(Connection c, String schema, String name, Phase phase) throws SQLException {
        return phase(c, schema, name, phase.word);
    }

    private Optional<OffsetDateTime> phase(Connection c, String schema, String name, String phase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT reached_at FROM " + table("phases") + " WHERE schema = ? AND name = ? AND phase = ?")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.setString(3, phase);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, OffsetDateTime.class)) : Optional.empty();
            }
        }
    }

    private void forgetPhases(Connection c, String schema, String name) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM " + table("phases") + " WHERE schema = ? AND name = ?")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    /** Marks the active migration done and stores the schema it resulted in. */
    public void recordComplete(Connection c, String schema, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table("migrations")
                + " SET done = true, updated_at = current_timestamp, resulting_schema = " + Sql.ident(stateSchema)
                + ".read_schema(?) WHERE schema = ? AND name = ?")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            ps.setString(3, name);
            ps.executeUpdate();
        }
        forgetPhases(c, schema, name);
    }

    /** Forgets a rolled back migration. */
    public void recordRollback(Connection c, String schema, String name) throws SQLException {
        forgetPhases(c, schema, name);
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM " + table("migrations") + " WHERE schema = ? AND name = ? AND NOT done")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }
}
