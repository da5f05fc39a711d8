package io.pgroll.engine.operations;

import static io.pgroll.testing.Rows.exec;
import static io.pgroll.testing.Rows.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class AddColumnTest {
    private static final String CREATE =
            """
            operations:
              - create_table:
                  name: products
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: name, type: text}
            """;
    private static final String ADD_NOT_NULL_WITH_UP =
            """
            operations:
              - add_column:
                  table: products
                  up: upper(name)
                  column:
                    name: label
                    type: text
                    nullable: false
                    unique: true
                    check:
                      name: label_not_empty
                      constraint: length(label) > 0
            """;

    private MigrationHarness h;

    @BeforeEach
    void setUp(TestDatabase db) {
        h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.sql("INSERT INTO products (name) SELECT 'p' || g FROM generate_series(1, 250) g");
    }

    @Test
    void afterStartBothVersionsReadAndWriteEachInItsOwnShape() throws SQLException {
        h.start("02_add_label", ADD_NOT_NULL_WITH_UP);
        try (Connection oldVersion = h.version("01_create");
                Connection newVersion = h.version("02_add_label")) {
            // existing rows were backfilled through `up`
            assertThat(rows(newVersion, "SELECT label FROM products WHERE id = 7"))
                    .containsExactly(List.of("P7"));
            assertThat(rows(newVersion, "SELECT count(*) FROM products WHERE label IS NULL"))
                    .containsExactly(List.of("0"));
            // the old version does not see the column, and its writes get `up` applied
            assertThat(rows(oldVersion, "SELECT * FROM products WHERE id = 1")).containsExactly(List.of("1", "p1"));
            exec(oldVersion, "INSERT INTO products (name) VALUES ('from old')");
            assertThat(rows(newVersion, "SELECT label FROM products WHERE name = 'from old'"))
                    .containsExactly(List.of("FROM OLD"));
            exec(oldVersion, "UPDATE products SET name = 'renamed' WHERE id = 2");
            assertThat(rows(newVersion, "SELECT label FROM products WHERE id = 2"))
                    .containsExactly(List.of("RENAMED"));
            // the new version writes the column itself, and the old version sees the row in its shape
            exec(newVersion, "INSERT INTO products (name, label) VALUES ('from new', 'chosen')");
            assertThat(rows(newVersion, "SELECT label FROM products WHERE name = 'from new'"))
                    .containsExactly(List.of("chosen"));
            assertThat(rows(oldVersion, "SELECT name FROM products WHERE name = 'from new'"))
                    .containsExactly(List.of("from new"));
            // the new constraints bind the new version only
            assertThatThrownBy(() -> exec(newVersion, "INSERT INTO products (name) VALUES ('no label')"))
                    .hasMessageContaining("_pgroll_check_not_null_label");
            assertThatThrownBy(() -> exec(newVersion, "INSERT INTO products (name, label) VALUES ('dup', 'chosen')"))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("23505");
            assertThatThrownBy(() -> exec(newVersion, "INSERT INTO products (name, label) VALUES ('e', '')"))
                    .hasMessageContaining("label_not_empty");
        }
        assertThat(h.pgroll().status().state()).isEqualTo(io.pgroll.engine.Status.State.IN_PROGRESS);
        assertThat(h.schemas()).containsExactly(h.schema() + "_01_create", h.schema() + "_02_add_label");
    }

    @Test
    void rollbackRestoresTheCatalogAndKeepsEveryRowEitherVersionWrote() throws SQLException {
        String before = h.fingerprint();
        h.start("02_add_label", ADD_NOT_NULL_WITH_UP);
        try (Connection oldVersion = h.version("01_create");
                Connection newVersion = h.version("02_add_label")) {
            exec(oldVersion, "INSERT INTO products (name) VALUES ('from old')");
            exec(newVersion, "INSERT INTO products (name, label) VALUES ('from new', 'x')");
            exec(newVersion, "UPDATE products SET name = 'changed by new' WHERE id = 3");
        }
        h.pgroll().rollback();

        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(h.db().query("SELECT count(*) FROM " + h.schema() + ".products"))
                .containsExactly(List.of("252"));
        assertThat(h.db().query("SELECT name FROM " + h.schema() + ".products WHERE id = 3"))
                .containsExactly(List.of("changed by new"));
        assertThat(h.db().query("SELECT count(*) FROM " + h.schema()
                        + ".products WHERE name IN ('from old', 'from new')"))
                .containsExactly(List.of("2"));
        h.assertNoTemporaryObjects();
        assertThat(h.schemas()).containsExactly(h.schema() + "_01_create");
    }

    @Test
    void completeLeavesTheFinalShapeAndNothingTemporary() throws SQLException {
        h.start("02_add_label", ADD_NOT_NULL_WITH_UP);
        h.pgroll().complete();

        assertThat(h.db().query("SELECT attname, attnotnull::text FROM pg_attribute WHERE attrelid = '" + h.schema()
                        + ".products'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"))
                .containsExactly(List.of("id", "true"), List.of("name", "true"), List.of("label", "true"));
        assertThat(h.db().query(
                                "SELECT conname, contype, convalidated::text FROM pg_constraint WHERE contype <> 'n' AND conrelid = '"
                                        + h.schema() + ".products'::regclass ORDER BY conname"))
                .containsExactly(
                        List.of("label_not_empty", "c", "true"),
                        List.of("products_label_key", "u", "true"),
                        List.of("products_pkey", "p", "true"));
        h.assertNoTemporaryObjects();
        assertThat(h.schemas()).containsExactly(h.schema() + "_02_add_label");
        try (Connection newVersion = h.version("02_add_label")) {
            exec(newVersion, "INSERT INTO products (name, label) VALUES ('after', 'AFTER')");
            assertThat(rows(newVersion, "SELECT label FROM products WHERE id = 9"))
                    .containsExactly(List.of("P9"));
        }
        assertThat(h.pgroll().status().state()).isEqualTo(io.pgroll.engine.Status.State.COMPLETE);
        assertThat(h.pgroll().status().version()).isEqualTo("02_add_label");
    }

    @Test
    void nullableColumnWithConstantDefaultNeedsNoBackfill() throws SQLException {
        h.start(
                "02_add_stock",
                """
                operations:
                  - add_column:
                      table: products
                      column: {name: stock, type: int, nullable: false, default: "100"}
                """);
        try (Connection oldVersion = h.version("01_create");
                Connection newVersion = h.version("02_add_stock")) {
            exec(oldVersion, "INSERT INTO products (name) VALUES ('x')");
            assertThat(rows(newVersion, "SELECT DISTINCT stock FROM products")).containsExactly(List.of("100"));
        }
        h.pgroll().complete();
        h.assertNoTemporaryObjects();
    }

    @Test
    void volatileDefaultIsBackfilledInsteadOfRewritingTheTable() throws SQLException {
        String relfilenode = h.db().queryValue(
                        "SELECT relfilenode FROM pg_class WHERE oid = '" + h.schema() + ".products'::regclass");
        h.start(
                "02_add_token",
                """
                operations:
                  - add_column:
                      table: products
                      column: {name: token, type: float8, nullable: false, default: random()}
                """);
        assertThat(h.db().queryValue(
                                "SELECT relfilenode FROM pg_class WHERE oid = '" + h.schema() + ".products'::regclass"))
                .as("the table was not rewritten")
                .isEqualTo(relfilenode);
        try (Connection newVersion = h.version("02_add_token")) {
            assertThat(rows(newVersion, "SELECT count(*) FROM products WHERE token IS NULL"))
                    .containsExactly(List.of("0"));
            assertThat(rows(newVersion, "SELECT count(DISTINCT token) > 200 FROM products"))
                    .containsExactly(List.of("t"));
        }
        h.pgroll().complete();
        h.assertNoTemporaryObjects();
    }

    @Test
    void theBackfillEndsWhileRowsKeepArrivingAndEveryRowIsFilled() throws Exception {
        h.sql("INSERT INTO products (name) SELECT 'bulk' || g FROM generate_series(1, 5000) g");
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong arrived = new java.util.concurrent.atomic.AtomicLong();
        // the inserter's own failure must fail the test, not die unseen in its thread
        java.util.concurrent.CompletableFuture<Void> inserter = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (Connection c = h.pinned(h.schema());
                    java.sql.Statement st = c.createStatement()) {
                while (running.get()) {
                    st.execute("INSERT INTO products (name) SELECT 'arriving' FROM generate_series(1, 20)");
                    arrived.addAndGet(20);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            h.start("02_add_label", ADD_NOT_NULL_WITH_UP.replace("unique: true", "unique: false"));
        } finally {
            running.set(false);
        }
        inserter.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(arrived.get())
                .as("rows inserted while the migration started")
                .isPositive();
        try (Connection newVersion = h.version("02_add_label")) {
            assertThat(rows(newVersion, "SELECT count(*) FROM products WHERE label IS DISTINCT FROM upper(name)"))
                    .containsExactly(List.of("0"));
        }
        h.pgroll().complete();
    }

    @Test
    void aTableWithoutAnyKeyIsBackfilledByPhysicalPosition() throws SQLException {
        h.sql("CREATE TABLE log (line text)", "INSERT INTO log SELECT 'line ' || g FROM generate_series(1, 1000) g");
        h.start(
                "02_log",
                """
                operations:
                  - add_column: {table: log, up: length(line), column: {name: size, type: int, nullable: false}}
                """);
        try (Connection newVersion = h.version("02_log")) {
            assertThat(rows(newVersion, "SELECT count(*), sum(size) FROM log"))
                    .containsExactly(List.of("1000", String.valueOf(9 * 6 + 90 * 7 + 900 * 8 + 9)));
        }
        h.pgroll().complete();
        h.assertNoTemporaryObjects();
    }

    @Test
    void aTypeWhoseColumnPostgresWouldFillByRewritingTheTableIsRefused() {
        h.sql("CREATE DOMAIN positive AS int CHECK (VALUE > 0)");
        String before = h.fingerprint();
        assertThatThrownBy(() -> h.start(
                        "02_bad",
                        "operations:\n  - add_column: {table: products, up: \"1\", column: {name: n, type: positive, "
                                + "nullable: true}}\n"))
                .hasMessageContaining("rewrites the whole table")
                .hasMessageContaining("nothing was changed");
        assertThat(h.fingerprint()).isEqualTo(before);
    }

    @Test
    void aNotNullColumnWithoutDefaultOrUpIsRefusedBeforeAnythingRuns() {
        String before = h.fingerprint();
        assertThatThrownBy(
                        () -> h.start(
                                "02_bad",
                                """
                        operations:
                          - add_column:
                              table: products
                              column: {name: label, type: text, nullable: false}
                        """))
                .hasMessageContaining("operation 1 (add_column")
                .hasMessageContaining("label")
                .hasMessageContaining("up");
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(h.pgroll().status().version()).isEqualTo("01_create");
    }
}
