package io.pgroll.engine.lifecycle;

import static io.pgroll.testing.Rows.exec;
import static io.pgroll.testing.Rows.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.PgrollException;
import io.pgroll.engine.model.MigrationFormatException;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Files pgroll's reader accepts although its JSON schema marks the fields required (pgroll fills them
 * with defaults), each run through start (both versions), rollback (identical catalog, no row lost)
 * and complete; and what pgroll refuses, refused before anything runs.
 */
@ExtendWith(PostgresExtension.class)
class PgrollParityTest {
    @Test
    void alterColumnSettingNotNullWithoutDown(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_name_required",
                """
                operations:
                  - alter_column: {table: items, column: name, nullable: false, up: "coalesce(name, 'none')"}
                """,
                (old, next) -> {
                    exec(old, "INSERT INTO items (id, name, price) VALUES (101, NULL, 1)");
                    assertThat(rows(next, "SELECT name FROM items WHERE id = 101"))
                            .containsExactly(List.of("none"));
                    exec(next, "INSERT INTO items (id, name, price) VALUES (102, 'x', 1)");
                    assertThat(rows(old, "SELECT name FROM items WHERE id = 102"))
                            .containsExactly(List.of("x"));
                },
                (old, next) -> assertThatThrownBy(() -> exec(next, "INSERT INTO items (name, price) VALUES (NULL, 1)"))
                        .hasMessageContaining("null value"));
    }

    @Test
    void alterColumnSettingADefaultWithNeitherUpNorDown(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_name_default",
                """
                operations:
                  - alter_column: {table: items, column: name, default: "'anon'"}
                """,
                (old, next) -> {
                    exec(next, "INSERT INTO items (id, price) VALUES (101, 1)");
                    assertThat(rows(old, "SELECT name FROM items WHERE id = 101"))
                            .containsExactly(List.of("anon"));
                    exec(old, "INSERT INTO items (id, name, price) VALUES (102, 'y', 1)");
                    assertThat(rows(next, "SELECT name FROM items WHERE id = 102"))
                            .containsExactly(List.of("y"));
                },
                (old, next) -> {
                    exec(next, "INSERT INTO items (id, price) VALUES (201, 1)");
                    assertThat(rows(next, "SELECT name FROM items WHERE id = 201"))
                            .containsExactly(List.of("anon"));
                });
    }

    @Test
    void dropConstraintWithoutUp(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_any_price",
                """
                operations:
                  - drop_constraint: {table: items, name: price_positive, down: "greatest(price, 1)"}
                """,
                (old, next) -> {
                    exec(next, "INSERT INTO items (id, name, price) VALUES (101, 'z', -5)");
                    assertThat(rows(old, "SELECT price FROM items WHERE id = 101"))
                            .containsExactly(List.of("1"));
                    exec(old, "INSERT INTO items (id, name, price) VALUES (102, 'w', 7)");
                    assertThat(rows(next, "SELECT price FROM items WHERE id = 102"))
                            .containsExactly(List.of("7"));
                },
                (old, next) -> exec(next, "INSERT INTO items (name, price) VALUES ('v', -1)"));
    }

    @Test
    void setReplicaIdentityFullWithoutIndex(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_full",
                """
                operations:
                  - set_replica_identity: {table: items, identity: {type: full}}
                """,
                (old, next) -> assertThat(replicaIdentity(h))
                        .as("in effect from start")
                        .isEqualTo("f"),
                (old, next) -> assertThat(replicaIdentity(h)).isEqualTo("f"));
    }

    @Test
    void setReplicaIdentityRollbackRestoresTheIdentityItReplaced(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        h.sql("ALTER TABLE items REPLICA IDENTITY FULL");
        ThreePhases.run(
                h,
                "02_by_key",
                """
                operations:
                  - set_replica_identity: {table: items, identity: {type: index, index: items_pkey}}
                """,
                (old, next) -> assertThat(replicaIdentity(h)).isEqualTo("i"),
                (old, next) -> assertThat(replicaIdentity(h)).isEqualTo("i"));
    }

    private static String replicaIdentity(MigrationHarness h) {
        return h.db().queryValue("SELECT relreplident FROM pg_class WHERE oid = '" + h.schema() + ".items'::regclass");
    }

    @Test
    void createTableWithoutColumns(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_empty",
                """
                operations:
                  - create_table: {name: placeholder}
                """,
                (old, next) -> assertThat(rows(next, "SELECT count(*) FROM placeholder"))
                        .containsExactly(List.of("0")),
                (old, next) -> assertThat(rows(next, "SELECT count(*) FROM placeholder"))
                        .containsExactly(List.of("0")));
    }

    @Test
    void aTypeChangeDropsTheChecksAndDefaultsThatNoLongerFit(TestDatabase db) throws SQLException {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete(
                "01_create",
                """
                operations:
                  - create_table:
                      name: items
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: code, type: text, default: "'0'", check: {name: code_short, constraint: length(code) < 3}}
                        - {name: flag, type: boolean, default: "true"}
                """);
        h.sql("INSERT INTO items (code) SELECT g::text FROM generate_series(1, 50) g");
        ThreePhases.run(
                h,
                "02_numbers",
                """
                operations:
                  - alter_column: {table: items, column: code, type: integer, up: CAST(code AS integer), down: CAST(code AS text)}
                  - alter_column: {table: items, column: flag, type: date, up: "CASE WHEN flag THEN date '2026-01-01' END", down: flag IS NOT NULL}
                """,
                (old, next) -> {
                    exec(next, "INSERT INTO items (id, code, flag) VALUES (101, 7, date '2026-02-02')");
                    assertThat(rows(old, "SELECT code, flag FROM items WHERE id = 101"))
                            .containsExactly(List.of("7", "t"));
                    exec(old, "INSERT INTO items (id) VALUES (102)");
                    assertThat(rows(next, "SELECT code, flag FROM items WHERE id = 102"))
                            .containsExactly(List.of("0", "2026-01-01"));
                },
                (old, next) -> {
                    // the length check is gone, the text default '0' became the integer 0
                    exec(next, "INSERT INTO items (id, flag) VALUES (201, date '2026-03-03')");
                    exec(next, "INSERT INTO items (id, code, flag) VALUES (202, 12345, date '2026-03-03')");
                    assertThat(rows(next, "SELECT code FROM items WHERE id IN (201, 202) ORDER BY id"))
                            .containsExactly(List.of("0"), List.of("12345"));
                    // the boolean default true has no cast to date, so the column has no default
                    assertThatThrownBy(() -> exec(next, "INSERT INTO items (id, code) VALUES (203, 1)"))
                            .hasMessageContaining("null value");
                });
        assertThat(h.db().queryValue("SELECT count(*) FROM pg_constraint WHERE conrelid = '" + h.schema()
                        + ".items'::regclass AND contype = 'c'"))
                .isEqualTo("0");
        assertThat(h.db().queryValue("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef d JOIN pg_attribute a ON"
                        + " a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = '" + h.schema()
                        + ".items'::regclass AND a.attname = 'code'"))
                .contains("0");
    }

    @Test
    void aSerialColumnIsAddedOnlineAndNumbersTheExistingRows(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        h.sql("CREATE SEQUENCE items_seq_no_seq"); // the name PostgreSQL would take is taken: the next one is used
        ThreePhases.run(
                h,
                "02_numbered",
                """
                operations:
                  - add_column: {table: items, column: {name: seq_no, type: bigserial}}
                """,
                (old, next) -> {
                    assertThat(rows(next, "SELECT count(DISTINCT seq_no), min(seq_no), max(seq_no) FROM items"))
                            .containsExactly(List.of("50", "1", "50"));
                    exec(old, "INSERT INTO items (id, name, price) VALUES (101, 'old', 1)");
                    exec(next, "INSERT INTO items (id, name, price) VALUES (102, 'new', 1)");
                    assertThat(rows(next, "SELECT seq_no FROM items WHERE id IN (101, 102) ORDER BY id"))
                            .containsExactly(List.of("51"), List.of("52"));
                    exec(old, "UPDATE items SET name = 'touched' WHERE id = 101");
                    assertThat(rows(next, "SELECT seq_no FROM items WHERE id = 101"))
                            .containsExactly(List.of("51"));
                    assertThatThrownBy(() -> exec(next, "INSERT INTO items (price, seq_no) VALUES (1, NULL)"))
                            .hasMessageContaining("_pgroll_check_not_null");
                },
                (old, next) -> {
                    exec(next, "INSERT INTO items (name, price) VALUES ('after', 1)");
                    assertThat(rows(next, "SELECT count(DISTINCT seq_no) FROM items"))
                            .containsExactly(List.of("53"));
                });
        assertThat(h.db().query("SELECT data_type, is_nullable, column_default FROM information_schema.columns WHERE "
                        + "table_schema = '" + h.schema() + "' AND table_name = 'items' AND column_name = 'seq_no'"))
                .containsExactly(List.of("bigint", "NO", "nextval('" + h.schema() + ".items_seq_no_seq1'::regclass)"));
        assertThat(h.db().queryValue("SELECT count(*) FROM pg_depend d JOIN pg_class s ON s.oid = d.objid WHERE "
                        + "s.relname = 'items_seq_no_seq1' AND d.deptype = 'a'"))
                .as("the sequence belongs to the column")
                .isEqualTo("1");
    }

    @Test
    void theNewVersionShowsWhatSqlRunAtCompleteMade(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        h.start(
                "02_later",
                """
                operations:
                  - sql: {up: "CREATE TABLE extra (id int)", onComplete: true}
                  - sql: {up: "ALTER TABLE items ADD COLUMN note text DEFAULT 'n'", onComplete: true}
                """);
        h.pgroll().complete();
        try (Connection next = h.version("02_later")) {
            assertThat(rows(next, "SELECT count(*) FROM extra")).containsExactly(List.of("0"));
            assertThat(rows(next, "SELECT DISTINCT note FROM items")).containsExactly(List.of("n"));
        }
        h.assertNoTemporaryObjects();
    }

    @Test
    void aVolatileDefaultWithADifferentUpIsRefusedBeforeAnythingRuns(TestDatabase db) {
        MigrationHarness h = ThreePhases.prepared(db);
        String before = h.fingerprint();
        assertThatThrownBy(
                        () -> h.start(
                                "02_stamp",
                                """
                        operations:
                          - add_column: {table: items, up: "'never'", column: {name: stamp, type: text, default: "clock_timestamp()::text"}}
                        """))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("operation 1 (add_column")
                .hasMessageContaining("has the volatile default")
                .hasMessageContaining("Nothing was changed");
        assertThat(h.fingerprint()).isEqualTo(before);
        // the same default with no up, or a stable one with any up, is fine
        h.start(
                "02_stamp",
                """
                operations:
                  - add_column: {table: items, up: "'then'", column: {name: stamp, type: text, default: "'now'"}}
                """);
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);
    }

    @Test
    void aDropMulticolumnConstraintMustCoverExactlyItsColumns(TestDatabase db) {
        MigrationHarness h = ThreePhases.prepared(db);
        h.sql("ALTER TABLE items ADD CONSTRAINT name_price UNIQUE (name, price)");
        String before = h.fingerprint();
        assertThatThrownBy(
                        () -> h.start(
                                "02_drop",
                                "operations:\n  - drop_multicolumn_constraint: {table: items, name: name_price, down: {name: name}}\n"))
                .hasMessageContaining("operation 1 (drop_multicolumn_constraint")
                .hasMessageContaining("`down` gives no expression for column \"price\"");
        assertThatThrownBy(() -> h.start(
                        "02_drop",
                        "operations:\n  - drop_multicolumn_constraint: {table: items, name: name_price, up: {id: id},"
                                + " down: {name: name, price: price}}\n"))
                .hasMessageContaining("`up` names column \"id\", which constraint \"name_price\" does not cover");
        assertThat(h.fingerprint()).isEqualTo(before);
    }

    @Test
    void aNullabilityThatIsAlreadySoIsRefusedBeforeAnythingRuns(TestDatabase db) {
        MigrationHarness h = ThreePhases.prepared(db);
        String before = h.fingerprint();
        assertThatThrownBy(() -> h.start(
                        "02_noop",
                        "operations:\n  - alter_column: {table: items, column: id, nullable: false, up: id}\n"))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("operation 1 (alter_column")
                .hasMessageContaining("is already NOT NULL")
                .hasMessageContaining("Nothing was changed");
        assertThatThrownBy(() -> h.start(
                        "02_noop",
                        "operations:\n  - alter_column: {table: items, column: name, nullable: true, down: name}\n"))
                .hasMessageContaining("is already nullable");
        assertThat(h.fingerprint()).isEqualTo(before);
    }

    @Test
    void aCreateConstraintWithoutAnUpForEachColumnIsRefusedWhenRead() {
        assertThatThrownBy(
                        () -> MigrationHarness.migration(
                                "02_unique",
                                """
                        operations:
                          - create_constraint:
                              table: items
                              name: name_price_unique
                              type: unique
                              columns: [name, price]
                              up: {name: name}
                              down: {name: name, price: price}
                        """))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessageContaining("02_unique.yaml: operation 1 (create_constraint")
                .hasMessageContaining("no expression for column \"price\"");
    }

    @Test
    void everyNameLongerThanPostgresKeepsIsRefusedWhenRead() {
        String longest = "t".repeat(63);
        String tooLong = "é".repeat(32); // 64 bytes in 32 characters
        MigrationHarness.migration(
                "02_ok",
                "operations:\n  - create_table: {name: " + longest + ", columns: [{name: " + longest
                        + ", type: int}]}\n");
        for (String yaml : List.of(
                "  - create_table: {name: " + tooLong + ", columns: [{name: id, type: int}]}",
                "  - create_table: {name: t, columns: [{name: " + tooLong + ", type: int}]}",
                "  - add_column: {table: t, column: {name: " + tooLong + ", type: int}}",
                "  - rename_column: {table: t, from: a, to: " + tooLong + "}",
                "  - rename_table: {from: t, to: " + tooLong + "}",
                "  - create_index: {name: " + tooLong + ", table: t, columns: [{column: a}]}",
                "  - drop_constraint: {table: t, name: " + tooLong + ", down: a}",
                "  - create_constraint: {table: t, name: c, type: unique, columns: [" + tooLong + "], up: {" + tooLong
                        + ": a}, down: {}}")) {
            assertThatThrownBy(() -> MigrationHarness.migration("02_long", "operations:\n" + yaml + "\n"))
                    .as(yaml)
                    .isInstanceOf(MigrationFormatException.class)
                    .hasMessageContaining("02_long.yaml: operation 1 (")
                    .hasMessageContaining(tooLong + "\", which is 64 bytes long");
        }
    }

    @Test
    void anEmptyVersionSchemaIsRefusedWhenRead() {
        assertThatThrownBy(() -> MigrationHarness.migration(
                        "02_x", "version_schema: ''\noperations:\n  - sql: {up: SELECT 1}\n"))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessageContaining("\"version_schema\" is empty");
    }
}
