package io.pgroll.engine.internal.state;

import io.pgroll.engine.internal.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The migration history of one schema, over one connection: pgroll's {@code migrations} table, and the
 * {@code phases} table in which this tool records how far an active migration got. All SQL on the
 * state tables after installation lives here.
 */
public final class History {
    private static final String COLUMNS =
            "schema, name, migration::text, parent, done, migration_type, created_at, updated_at";

    private final Connection connection;
    private final String stateSchema;
    private final String schema;

    public History(Connection connection, String stateSchema, String schema) {
        this.connection = connection;
        this.stateSchema = stateSchema;
        this.schema = schema;
    }

    private String table(String name) {
        return Sql.qualified(stateSchema, name);
    }

    // ---- reading ----

    public Optional<MigrationRecord> activeMigration() throws SQLException {
        return single("SELECT " + COLUMNS + " FROM " + table("migrations") + " WHERE schema = ? AND NOT done", schema);
    }

    public Optional<MigrationRecord> latestMigration() throws SQLException {
        return single(
                "SELECT " + COLUMNS + " FROM " + table("migrations") + " WHERE schema = ? AND name = "
                        + Sql.ident(stateSchema) + ".latest_migration(?)",
                schema,
                schema);
    }

    public Optional<MigrationRecord> migration(String name) throws SQLException {
        return single(
                "SELECT " + COLUMNS + " FROM " + table("migrations") + " WHERE schema = ? AND name = ?", schema, name);
    }

    /** The version schema suffix {@code depth} pgroll-type migrations back from the head, if any. */
    public Optional<String> versionSchema(int depth) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT " + Sql.ident(stateSchema) + ".find_version_schema(?, ?)")) {
            ps.setString(1, schema);
            ps.setInt(2, depth);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getString(1));
            }
        }
    }

    /** The whole history of the schema, oldest first, following the parent chain. */
    public List<MigrationRecord> all() throws SQLException {
        String sql = "WITH RECURSIVE h AS (SELECT m.*, 0 AS depth FROM " + table("migrations")
                + " m WHERE m.schema = ? AND m.parent IS NULL UNION ALL SELECT m.*, h.depth + 1 FROM "
                + table("migrations") + " m JOIN h ON m.schema = h.schema AND m.parent = h.name) SELECT " + COLUMNS
                + " FROM h ORDER BY depth";
        List<MigrationRecord> records = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(record(rs));
                }
            }
        }
        return records;
    }

    /**
     * The history that counts for the migration files: from the newest baseline on (the baseline
     * first), or the whole history when there is none.
     */
    public List<MigrationRecord> sinceBaseline() throws SQLException {
        List<MigrationRecord> all = all();
        int from = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).isBaseline()) {
                from = i;
            }
        }
        return List.copyOf(all.subList(from, all.size()));
    }

    private Optional<MigrationRecord> single(String sql, String... params) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
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

    // ---- writing ----

    /** Records a started migration as the new head of the history. */
    public void recordStart(String name, String migrationJson, String type) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table("migrations")
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

    /**
     * Records a baseline as the new head of the history: the schema as it is now, taken as the
     * starting point of the migrations after it, which nothing applies. Done at once, as pgroll records it.
     */
    public void recordBaseline(String name, String migrationJson) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table("migrations")
                + " (schema, name, migration, resulting_schema, parent, done, migration_type) VALUES (?, ?, ?::jsonb, "
                + Sql.ident(stateSchema) + ".read_schema(?), " + Sql.ident(stateSchema)
                + ".latest_migration(?), true, 'baseline')")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.setString(3, migrationJson);
            ps.setString(4, schema);
            ps.setString(5, schema);
            ps.executeUpdate();
        }
    }

    /** Marks the active migration done and stores the schema it resulted in. */
    public void recordComplete(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + table("migrations")
                + " SET done = true, updated_at = current_timestamp, resulting_schema = " + Sql.ident(stateSchema)
                + ".read_schema(?) WHERE schema = ? AND name = ?")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            ps.setString(3, name);
            ps.executeUpdate();
        }
        forgetPhases(name);
    }

    /** Forgets a rolled back migration. */
    public void recordRollback(String name) throws SQLException {
        forgetPhases(name);
        try (PreparedStatement ps = connection.prepareStatement(
                "DELETE FROM " + table("migrations") + " WHERE schema = ? AND name = ? AND NOT done")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    // ---- phases of the active migration ----

    /** Records that a migration reached a phase; committed before the work that depends on it. */
    public void record(String name, Phase phase) throws SQLException {
        recordPhase(name, phase.word());
    }

    /**
     * Records that the migration's start finished, with a snapshot of the schema as start left it, so
     * that {@code complete} and {@code rollback} can tell DDL made outside the tool meanwhile.
     */
    public void recordStarted(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table("phases")
                + " (schema, name, phase, detail) VALUES (?, ?, ?, " + Sql.ident(stateSchema)
                + ".read_schema(?)::text) ON CONFLICT (schema, name, phase) DO NOTHING")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.setString(3, Phase.STARTED.word());
            ps.setString(4, schema);
            ps.executeUpdate();
        }
    }

    /**
     * The schema as the migration's start left it, as read_schema wrote it; empty when start has not
     * finished, or finished under a tool that kept no snapshot.
     */
    public Optional<String> schemaAtStart(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT detail FROM " + table("phases")
                + " WHERE schema = ? AND name = ? AND phase = ? AND detail IS NOT NULL")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.setString(3, Phase.STARTED.word());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Records that {@code step} of the migration's operation {@code index} (0-based) finished. */
    public void record(String name, Step step, int index) throws SQLException {
        recordPhase(name, step.of(index));
    }

    /**
     * The statement that {@link #record(String, Step, int)} runs, for an operation whose work is one
     * transaction to run inside it: then a crash never leaves the work done but unrecorded. {@code
     * detail}, if not null, is what the operation must remember to undo that step.
     */
    public String recordStatement(String name, Step step, int index, String detail) {
        return "INSERT INTO " + table("phases") + " (schema, name, phase, detail) VALUES (" + Sql.literal(schema)
                + ", " + Sql.literal(name) + ", " + Sql.literal(step.of(index)) + ", "
                + (detail == null ? "NULL" : Sql.literal(detail)) + ") ON CONFLICT (schema, name, phase) DO NOTHING";
    }

    /** What was recorded with {@code step} of operation {@code index} for undoing it, if anything. */
    public Optional<String> detail(String name, Step step, int index) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT detail FROM " + table("phases") + " WHERE schema = ? AND name = ? AND phase = ?")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.setString(3, step.of(index));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** When the migration reached the phase, if it has. */
    public Optional<OffsetDateTime> reached(String name, Phase phase) throws SQLException {
        return phase(name, phase.word());
    }

    /** Whether {@code step} of the migration's operation {@code index} (0-based) finished. */
    public boolean done(String name, Step step, int index) throws SQLException {
        return phase(name, step.of(index)).isPresent();
    }

    private void recordPhase(String name, String phase) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table("phases")
                + " (schema, name, phase) VALUES (?, ?, ?) ON CONFLICT (schema, name, phase) DO NOTHING")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.setString(3, phase);
            ps.executeUpdate();
        }
    }

    private Optional<OffsetDateTime> phase(String name, String phase) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT reached_at FROM " + table("phases") + " WHERE schema = ? AND name = ? AND phase = ?")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.setString(3, phase);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, OffsetDateTime.class)) : Optional.empty();
            }
        }
    }

    private void forgetPhases(String name) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("DELETE FROM " + table("phases") + " WHERE schema = ? AND name = ?")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    /** The phases of a whole migration that the state records beyond pgroll's own table. */
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

        String word() {
            return word;
        }
    }

    /** What can be recorded of one operation: that its start, complete or rollback finished. */
    public enum Step {
        STARTED("started"),
        COMPLETED("completed"),
        ROLLED_BACK("rolled back");

        private final String word;

        Step(String word) {
            this.word = word;
        }

        String of(int index) {
            return word + " operation " + (index + 1);
        }
    }
}
