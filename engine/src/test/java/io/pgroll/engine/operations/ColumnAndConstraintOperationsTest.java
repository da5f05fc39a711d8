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

/**
 * drop_column, rename_column, create_constraint, drop_constraint and drop_multicolumn_constraint,
 * each after start (both directions), after rollback and after complete.
 */
@ExtendWith(PostgresExtension.class)
class ColumnAndConstraintOperationsTest {
    private MigrationHarness h;

    @BeforeEach
    void setUp(TestDatabase db) {
        h = MigrationHarness.create(db);
        h.startAndComplete(
                "01_items",
                """
                operations:
                  - create_table:
                      name: items
                      columns:
                        - {name: id, type: int}
                        - {name: name, type: text, check: {name: name_long, constraint: length(name) > 2}}
                        - {name: price, type: int}
                        - {name: shelf, type: text, nullable: true}
                      constraints:
                        - {name: name_shelf_unique, type: unique, columns: [name, shelf]}
                """);
        h.sql("INSERT INTO items SELECT g, 'item' || g, g % 7, 'S' || (g % 3) FROM generate_series(1, 200) g");
    }

    /** Runs start, checks, rollback to an identical catalog, start again, complete. */
    private void threePhases(String name, String yaml, SqlCheck afterStart, Runnable afterComplete)
            throws SQLException {
        String before = h.fingerprint();
        long rows = Long.parseLong(h.db().queryValue("SELECT count(*) FROM " + h.schema() + ".items"));
        h.start(name, yaml);
        try (Connection v1 = h.version("01_items");
                Connection v2 = h.version(name)) {
            afterStart.check(v1, v2);
        }
        long written = Long.parseLong(h.db().queryValue("SELECT count(*) FROM " + h.schema() + ".items")) - rows;
        h.pgroll().rollback();
        assertThat(h.fingerprint()).as("catalog after rollback of " + name).isEqualTo(before);
        assertThat(Long.parseLong(h.db().queryValue("SELECT count(*) FROM " + h.schema() + ".items")))
                .as("rows both versions wrote are kept")
                .isEqualTo(rows + written);
        h.start(name, yaml);
        h.pgroll().complete();
        h.assertNoTemporaryObjects();
        afterComplete.run();
    }

    @FunctionalInterface
    interface SqlCheck {
        void check(Connection oldVersion, Connection newVersion) throws SQLException;
    }

    private List<String> columns() {
        return h
                .db()
                .query("SELECT attname FROM pg_attribute WHERE attrelid = '" + h.schema() + ".items'::regclass "
                        + "AND attnum > 0 AND NOT attisdropped ORDER BY attnum")
                .stream()
                .map(r -> r.get(0))
                .toList();
    }

    private String constraints() {
        return h.db().queryValue(
                        "SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ', ' ORDER BY conname) "
                                + "FROM pg_constraint WHERE contype <> 'n' AND conrelid = '" + h.schema()
                                + ".items'::regclass");
    }

    @Test
    void dropColumnFillsItWithDownForTheNewVersionsWrites() throws SQLException {
        threePhases(
                "02_drop_shelf",
                "operations:\n  - drop_column: {table: items, column: price, down: \"42\"}\n",
                (v1, v2) -> {
                    assertThatThrownBy(() -> rows(v2, "SELECT price FROM items"))
                            .hasMessageContaining("price");
                    exec(v2, "INSERT INTO items (id, name) VALUES (1000, 'new item')");
                    assertThat(rows(v1, "SELECT price FROM items WHERE id = 1000"))
                            .containsExactly(List.of("42"));
                    exec(v1, "INSERT INTO items (id, name, price) VALUES (1001, 'old item', 5)");
                    assertThat(rows(v2, "SELECT name FROM items WHERE id = 1001"))
                            .containsExactly(List.of("old item"));
                },
                () -> assertThat(columns()).containsExactly("id", "name", "shelf"));
    }

    @Test
    void dropColumnOfANotNullColumnWithoutDownIsRefused() {
        assertThatThrownBy(() -> h.start("02_drop", "operations:\n  - drop_column: {table: items, column: price}\n"))
                .hasMessageContaining("operation 1 (drop_column")
                .hasMessageContaining("`down`");
    }

    @Test
    void renameColumnIsAViewMappingUntilComplete() throws SQLException {
        threePhases(
                "02_rename",
                "operations:\n  - rename_column: {table: items, from: shelf, to: location}\n",
                (v1, v2) -> {
                    exec(v2, "UPDATE items SET location = 'moved' WHERE id = 1");
                    assertThat(rows(v1, "SELECT shelf FROM items WHERE id = 1")).containsExactly(List.of("moved"));
                    exec(v1, "INSERT INTO items VALUES (1000, 'old', 1, 'S9')");
                    assertThat(rows(v2, "SELECT location FROM items WHERE id = 1000"))
                            .containsExactly(List.of("S9"));
                },
                () -> assertThat(columns()).containsExactly("id", "name", "price", "location"));
    }

    @Test
    void createCheckConstraintFixesOldRowsWithUp() throws SQLException {
        threePhases(
                "02_price_positive",
                """
                operations:
                  - create_constraint:
                      table: items
                      name: price_positive
                      type: check
                      check: price > 0
                      columns: [price]
                      up: {price: "CASE WHEN price <= 0 THEN 1 ELSE price END"}
                      down: {price: price}
                """,
                (v1, v2) -> {
                    assertThat(rows(v2, "SELECT count(*) FROM items WHERE price <= 0"))
                            .containsExactly(List.of("0"));
                    exec(v1, "INSERT INTO items VALUES (1000, 'old', 0)");
                    assertThat(rows(v2, "SELECT price FROM items WHERE id = 1000"))
                            .containsExactly(List.of("1"));
                    assertThatThrownBy(() -> exec(v2, "INSERT INTO items VALUES (1001, 'new', 0)"))
                            .hasMessageContaining("price_positive");
                },
                () -> assertThat(constraints()).contains("price_positive CHECK ((price > 0))"));
    }

    @Test
    void createPrimaryKeyOverTwoColumns() throws SQLException {
        threePhases(
                "02_pk",
                """
                operations:
                  - create_constraint:
                      table: items
                      name: items_pk
                      type: primary_key
                      columns: [id, name]
                      up: {id: id, name: name}
                      down: {id: id, name: name}
                """,
                (v1, v2) -> {
                    exec(v2, "INSERT INTO items VALUES (1000, 'x1000', 1)");
                    assertThatThrownBy(() -> exec(v2, "INSERT INTO items VALUES (1000, 'x1000', 2)"))
                            .hasMessageContaining("duplicate key");
                },
                () -> assertThat(constraints()).contains("items_pk PRIMARY KEY (id, name)"));
    }

    @Test
    void createForeignKeyAndUniqueConstraints() throws SQLException {
        h.startAndComplete(
                "02_shelves",
                "operations:\n  - create_table: {name: shelves, columns: [{name: code, type: text, pk: true}]}\n");
        h.sql("INSERT INTO shelves VALUES ('S0'), ('S1'), ('S2')");
        String yaml =
                """
                operations:
                  - create_constraint:
                      table: items
                      name: fk_shelf
                      type: foreign_key
                      columns: [shelf]
                      references: {table: shelves, columns: [code], on_delete: SET NULL}
                      up: {shelf: "CASE WHEN shelf IN (SELECT code FROM shelves) THEN shelf END"}
                      down: {shelf: shelf}
                  - create_constraint:
                      table: items
                      name: id_unique
                      type: unique
                      columns: [id]
                      up: {id: id}
                      down: {id: id}
                """;
        String before = h.fingerprint();
        h.start("03_fk", yaml);
        try (Connection v3 = h.version("03_fk")) {
            assertThatThrownBy(() -> exec(v3, "INSERT INTO items VALUES (1000, 'nowhere', 1, 'S7')"))
                    .hasMessageContaining("fk_shelf");
            assertThatThrownBy(() -> exec(v3, "INSERT INTO items VALUES (1, 'twin', 1, 'S1')"))
                    .hasMessageContaining("id_unique");
        }
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);
        h.start("03_fk", yaml);
        h.pgroll().complete();
        assertThat(constraints())
                .contains("fk_shelf FOREIGN KEY (shelf) REFERENCES " + h.schema() + ".shelves(code) ON DELETE SET NULL")
                .contains("id_unique UNIQUE (id)");
        h.assertNoTemporaryObjects();
    }

    @Test
    void dropConstraintLetsTheNewVersionWriteWhatTheOldCannot() throws SQLException {
        threePhases(
                "02_drop_check",
                """
                operations:
                  - drop_constraint:
                      table: items
                      name: name_long
                      up: name
                      down: "CASE WHEN length(name) <= 2 THEN name || '__' ELSE name END"
                """,
                (v1, v2) -> {
                    exec(v2, "INSERT INTO items VALUES (1000, 'ab', 1)");
                    assertThat(rows(v1, "SELECT name FROM items WHERE id = 1000"))
                            .containsExactly(List.of("ab__"));
                    assertThat(rows(v2, "SELECT name FROM items WHERE id = 1000"))
                            .containsExactly(List.of("ab"));
                    assertThatThrownBy(() -> exec(v1, "INSERT INTO items VALUES (1001, 'cd', 1)"))
                            .hasMessageContaining("name_long");
                },
                () -> assertThat(constraints()).doesNotContain("name_long").contains("name_shelf_unique"));
    }

    @Test
    void dropMultiColumnConstraint() throws SQLException {
        threePhases(
                "02_drop_unique",
                """
                operations:
                  - drop_multicolumn_constraint:
                      table: items
                      name: name_shelf_unique
                      up: {name: name, shelf: shelf}
                      down: {name: "name || '-' || id", shelf: shelf}
                """,
                (v1, v2) -> {
                    exec(v2, "INSERT INTO items VALUES (1000, 'item1', 1, 'S1')");
                    assertThat(rows(v1, "SELECT name FROM items WHERE id = 1000"))
                            .containsExactly(List.of("item1-1000"));
                },
                () -> assertThat(constraints())
                        .doesNotContain("name_shelf_unique")
                        .contains("name_long"));
    }
}
