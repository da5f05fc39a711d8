package io.pgroll.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.testing.CatalogFingerprint;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh schema, an engine over it, and the means to look at it through either version: what every
 * lifecycle test needs. Each harness owns its own schema, so the tests of a class share a database but
 * never see each other.
 */
public final class MigrationHarness {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private final TestDatabase db;
    private final String schema;
    private final Pgroll pgroll;

    private MigrationHarness(TestDatabase db, String schema, Pgroll pgroll) {
        this.db = db;
        this.schema = schema;
        this.pgroll = pgroll;
    }

    public static MigrationHarness create(TestDatabase db) {
        return create(db, "s" + SCHEMAS.incrementAndGet());
    }

    public static MigrationHarness create(TestDatabase db, String schema) {
        db.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
        Pgroll pgroll = configure(db, schema).load();
        pgroll.init();
        return new MigrationHarness(db, schema, pgroll);
    }

    /** The configuration of this harness's engine, for a test that needs another engine over the same schema. */
    public Pgroll.Builder configure() {
        return configure(db, schema);
    }

    private static Pgroll.Builder configure(TestDatabase db, String schema) {
        return Pgroll.configure().dataSource(db.dataSource()).schema(schema).backfillBatchSize(100);
    }

    public Pgroll pgroll() {
        return pgroll;
    }

    public String schema() {
        return schema;
    }

    public TestDatabase db() {
        return db;
    }

    public static Migration migration(String name, String yaml) {
        return MigrationReader.read(yaml, name, name + ".yaml");
    }

    public StartResult start(String name, String yaml) {
        return pgroll.start(migration(name, yaml));
    }

    public void startAndComplete(String name, String yaml) {
        pgroll.start(migration(name, yaml), true);
    }

    /** Runs SQL with the target schema on the search path, as the old version's raw-table clients do. */
    public void sql(String... statements) {
        try (Connection c = pinned(schema);
                Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A connection whose search_path is exactly one schema, as a pinned application's is. */
    public Connection pinned(String searchPath) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        props.setProperty("password", db.password());
        props.setProperty("currentSchema", searchPath);
        return java.sql.DriverManager.getConnection(db.jdbcUrl(), props);
    }

    /** A connection pinned to the version schema of a migration of this harness's schema. */
    public Connection version(String migrationName) throws SQLException {
        return pinned(schema + "_" + migrationName);
    }

    /** The whole catalog outside the state schema, as text: rollback must give back exactly this. */
    public String fingerprint() {
        try (Connection c = db.connect()) {
            return CatalogFingerprint.of(c, "pgroll");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything in the database whose name says the tool made it for a migration's duration. */
    public List<List<String>> temporaryObjects() {
        String inSchema = "'" + schema + "'";
        return db.query(
                """
                SELECT 'column', c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                  WHERE a.attname LIKE '\\_pgroll\\_%' AND NOT a.attisdropped AND a.attnum > 0
                    AND c.relnamespace = :schema::regnamespace
                UNION ALL SELECT 'relation', relname FROM pg_class
                  WHERE relname LIKE '\\_pgroll\\_%' AND relnamespace = :schema::regnamespace
                UNION ALL SELECT 'constraint', conname FROM pg_constraint
                  WHERE conname LIKE '%\\_pgroll\\_%' AND connamespace = :schema::regnamespace
                UNION ALL SELECT 'trigger', tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                  WHERE tgname LIKE '\\_pgroll\\_%' AND c.relnamespace = :schema::regnamespace
                UNION ALL SELECT 'function', proname FROM pg_proc
                  WHERE proname LIKE '\\_pgroll\\_%' AND pronamespace = :schema::regnamespace
                """
                        .replace(":schema", inSchema));
    }

    public void assertNoTemporaryObjects() {
        assertThat(temporaryObjects()).as("temporary objects left behind").isEmpty();
    }

    public List<String> schemas() {
        return db.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE '" + schema + "\\_%' ORDER BY 1").stream()
                .map(r -> r.get(0))
                .toList();
    }
}
