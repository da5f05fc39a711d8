package io.pgroll.engine.lifecycle;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.model.Migration;
import io.pgroll.testing.CatalogFingerprint;
import io.pgroll.testing.Rows;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * What the crash tests share: a schema of two related tables with rows, brought back to the same state
 * before every crash, writes through the old version while a migration is active, and what is compared
 * once a crash is recovered (the catalog's fingerprint and every row).
 */
final class CrashFixture {
    static final String SCHEMA = "app";
    static final int BATCH_SIZE = 100;

    static final String BASE =
            """
            operations:
              - create_table:
                  name: users
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: name, type: text}
                    - {name: email, type: text, nullable: true}
                    - {name: age, type: int, nullable: true, check: {name: users_age_positive, constraint: age >= 0}}
              - create_table:
                  name: posts
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: user_id, type: int, references: {name: posts_user_fk, table: users, column: id}}
                    - {name: title, type: text}
                    - {name: score, type: int, nullable: true}
                  constraints:
                    - {name: posts_title_score_unique, type: unique, columns: [title, score]}
              - create_index: {name: posts_title_idx, table: posts, columns: [{column: title}]}
            """;

    /** Writes through the old version while the migration is active: the triggers carry them over. */
    static final List<String> OLD_VERSION_WRITES = List.of(
            "INSERT INTO users (name, email, age) SELECT 'late ' || g, 'late' || g || '@x', g FROM generate_series(1, 7) g",
            "UPDATE users SET name = name || '!', age = age + 1 WHERE id % 25 = 0",
            // ordered: a scan of users meets its rows in whatever order the backfill's updates left them,
            // and the serial ids of these posts would follow it
            "INSERT INTO posts (user_id, title, score) SELECT id, 'late post ' || id, id FROM users WHERE id % 50 = 1"
                    + " ORDER BY id",
            "DELETE FROM posts WHERE id % 40 = 3");

    private CrashFixture() {}

    static Pgroll engine(DataSource dataSource) {
        return Pgroll.configure()
                .dataSource(dataSource)
                .schema(SCHEMA)
                .backfillBatchSize(BATCH_SIZE)
                .load();
    }

    /** The schema as the base migration leaves it, with rows, and no trace of an earlier round. */
    static void reset(TestDatabase db) {
        List<String> drops = new ArrayList<>();
        for (List<String> row :
                db.query("SELECT format('DROP SCHEMA %I CASCADE', nspname) FROM pg_namespace WHERE nspname = '" + SCHEMA
                        + "' OR nspname LIKE '" + SCHEMA + "\\_%'")) {
            drops.add(row.get(0));
        }
        boolean stateExists = "1".equals(db.queryValue("SELECT count(*) FROM pg_namespace WHERE nspname = 'pgroll'"));
        if (stateExists) {
            drops.add("DELETE FROM pgroll.phases WHERE schema = '" + SCHEMA + "'");
            drops.add("DELETE FROM pgroll.migrations WHERE schema = '" + SCHEMA + "'");
        }
        drops.add("CREATE SCHEMA " + SCHEMA);
        db.execute(drops.toArray(String[]::new));
        Pgroll pgroll = engine(db.dataSource());
        pgroll.init();
        pgroll.start(MigrationHarness.migration("01_base", BASE), true);
        db.execute(
                "INSERT INTO app.users (name, email, age) SELECT 'user ' || g, CASE WHEN g % 3 > 0 THEN 'u' || g || '@x' END, g"
                        + " FROM generate_series(1, 250) g",
                "INSERT INTO app.posts (user_id, title, score) SELECT 1 + g % 250, 'post ' || (g % 90), g"
                        + " FROM generate_series(1, 250) g",
                // a vacuum of the table would make a statement wait and be retried, which shifts the steps
                "ALTER TABLE app.users SET (autovacuum_enabled = false)",
                "ALTER TABLE app.posts SET (autovacuum_enabled = false)");
    }

    /** The base state with {@code migration} started and rows written through the old version since. */
    static void activeWithOldVersionWrites(TestDatabase db, Migration migration) {
        reset(db);
        engine(db.dataSource()).start(migration);
        writeThroughOldVersion(db);
    }

    static void writeThroughOldVersion(TestDatabase db) {
        try (Connection c = db.connect()) {
            Rows.exec(c, "SET search_path = app_01_base");
            for (String sql : OLD_VERSION_WRITES) {
                Rows.exec(c, sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static String fingerprint(TestDatabase db) {
        try (Connection c = db.connect()) {
            return CatalogFingerprint.of(c, "pgroll");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of every table of the schema, as text, in a stable order. */
    static List<String> rows(TestDatabase db) {
        List<String> rows = new ArrayList<>();
        for (List<String> table :
                db.query("SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = '" + SCHEMA
                        + "' ORDER BY tablename")) {
            for (List<String> row :
                    db.query("SELECT t::text FROM " + table.get(0) + " t ORDER BY t::text COLLATE \"C\"")) {
                rows.add(table.get(0) + " " + row.get(0));
            }
        }
        return rows;
    }
}
