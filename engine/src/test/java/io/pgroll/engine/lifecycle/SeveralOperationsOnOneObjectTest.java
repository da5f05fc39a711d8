package io.pgroll.engine.lifecycle;

import static io.pgroll.testing.Rows.exec;
import static io.pgroll.testing.Rows.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.PgrollException;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Migrations whose operations work on a table or column that an earlier operation of the same
 * migration renamed or added, as pgroll runs them: each version sees exactly its own shape while the
 * migration is active, rollback restores the catalog, complete leaves the final shape.
 */
@ExtendWith(PostgresExtension.class)
class SeveralOperationsOnOneObjectTest {

    @Test
    void renameTableThenColumnThenMakeTheColumnRequiredAndChecked(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_products",
                """
                operations:
                  - rename_table: {from: items, to: products}
                  - rename_column: {table: products, from: name, to: title}
                  - alter_column:
                      table: products
                      column: title
                      nullable: false
                      check: {name: title_short, constraint: length(title) < 20}
                      up: "left(coalesce(title, 'untitled'), 19)"
                      down: title
                """,
                (old, next) -> {
                    exec(old, "INSERT INTO items (id, name, price) VALUES (101, NULL, 1)");
                    exec(old, "INSERT INTO items (id, name, price) VALUES (102, repeat('x', 30), 1)");
                    assertThat(rows(next, "SELECT id, title FROM products WHERE id IN (1, 101, 102) ORDER BY id"))
                            .containsExactly(
                                    List.of("1", "n1"), List.of("101", "untitled"), List.of("102", "x".repeat(19)));
                    exec(next, "INSERT INTO products (id, title, price) VALUES (103, 'new', 2)");
                    exec(next, "UPDATE products SET title = 'renamed' WHERE id = 101");
                    assertThat(rows(old, "SELECT id, name FROM items WHERE id IN (101, 103) ORDER BY id"))
                            .containsExactly(List.of("101", "renamed"), List.of("103", "new"));
                    assertThatThrownBy(
                                    () -> exec(next, "INSERT INTO products (id, title, price) VALUES (104, NULL, 1)"))
                            .hasMessageContaining("_pgroll_check_not_null");
                    assertThatThrownBy(() -> exec(
                                    next, "INSERT INTO products (id, title, price) VALUES (105, repeat('y', 25), 1)"))
                            .hasMessageContaining("title_short");
                },
                (old, next) -> {
                    // rollback kept what both versions wrote meanwhile; the second start copied it again
                    assertThat(rows(next, "SELECT title FROM products WHERE id IN (101, 102) ORDER BY id"))
                            .containsExactly(List.of("renamed"), List.of("x".repeat(19)));
                    assertThatThrownBy(() -> exec(next, "INSERT INTO products (title, price) VALUES (NULL, 1)"))
                            .hasMessageContaining("null value");
                });
        assertThat(h.db().query("SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = '"
                        + h.schema() + "' AND table_name = 'products' ORDER BY ordinal_position"))
                .containsExactly(List.of("id", "NO"), List.of("price", "NO"), List.of("title", "NO"));
        assertThat(h.db().queryValue("SELECT count(*) FROM pg_constraint WHERE conrelid = '" + h.schema()
                        + ".products'::regclass AND conname = 'title_short' AND convalidated"))
                .isEqualTo("1");
    }

    @Test
    void renameColumnThenChangeItsTypeWithUpLeftOut(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_amount",
                """
                operations:
                  - rename_column: {table: items, from: price, to: amount}
                  - alter_column: {table: items, column: amount, type: bigint, down: "CAST(amount AS integer)"}
                """,
                (old, next) -> {
                    exec(old, "INSERT INTO items (id, name, price) VALUES (101, 'a', 7)");
                    assertThat(rows(next, "SELECT amount, pg_typeof(amount)::text FROM items WHERE id = 101"))
                            .containsExactly(List.of("7", "bigint"));
                    exec(next, "INSERT INTO items (id, name, amount) VALUES (102, 'b', 8)");
                    assertThat(rows(old, "SELECT price FROM items WHERE id = 102"))
                            .containsExactly(List.of("8"));
                    // the check on the column, written as price > 0, is carried over to the copy
                    assertThatThrownBy(() -> exec(next, "INSERT INTO items (id, name, amount) VALUES (103, 'c', 0)"))
                            .hasMessageContaining("price_positive");
                },
                (old, next) -> {
                    exec(next, "INSERT INTO items (name, amount) VALUES ('d', 9000000000)");
                    // 50 rows, the 2 both versions wrote during the first start (rollback kept them), and this one
                    assertThat(rows(next, "SELECT count(*) FROM items WHERE amount > 0"))
                            .containsExactly(List.of("53"));
                });
    }

    @Test
    void renameColumnThenDropTheCheckOnIt(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_cost",
                """
                operations:
                  - rename_column: {table: items, from: price, to: cost}
                  - drop_constraint: {table: items, name: price_positive, down: "greatest(cost, 1)"}
                """,
                (old, next) -> {
                    exec(next, "INSERT INTO items (id, name, cost) VALUES (101, 'z', -5)");
                    assertThat(rows(old, "SELECT price FROM items WHERE id = 101"))
                            .containsExactly(List.of("1"));
                    assertThat(rows(next, "SELECT cost FROM items WHERE id = 101"))
                            .containsExactly(List.of("-5"));
                    exec(old, "INSERT INTO items (id, name, price) VALUES (102, 'w', 7)");
                    assertThat(rows(next, "SELECT cost FROM items WHERE id = 102"))
                            .containsExactly(List.of("7"));
                },
                (old, next) -> exec(next, "INSERT INTO items (name, cost) VALUES ('v', -1)"));
    }

    @Test
    void addColumnThenRenameIt(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_score",
                """
                operations:
                  - add_column: {table: items, up: "price * 10", column: {name: rating, type: int, nullable: true}}
                  - rename_column: {table: items, from: rating, to: score}
                """,
                (old, next) -> {
                    assertThat(rows(next, "SELECT score FROM items WHERE id = 3"))
                            .containsExactly(List.of("30"));
                    exec(old, "INSERT INTO items (id, name, price) VALUES (101, 'a', 4)");
                    assertThat(rows(next, "SELECT score FROM items WHERE id = 101"))
                            .containsExactly(List.of("40"));
                    exec(next, "INSERT INTO items (id, name, price, score) VALUES (102, 'b', 1, 5)");
                    assertThat(rows(old, "SELECT name FROM items WHERE id = 102"))
                            .containsExactly(List.of("b"));
                },
                (old, next) -> assertThat(rows(next, "SELECT score FROM items WHERE id = 3"))
                        .containsExactly(List.of("30")));
    }

    @Test
    void aForeignKeyReferencesAColumnRenamedEarlier(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_orders",
                """
                operations:
                  - rename_column: {table: items, from: id, to: item_id}
                  - create_table:
                      name: orders
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: item, type: int, references: {name: orders_item_fk, table: items, column: item_id}}
                  - add_column:
                      table: items
                      column:
                        name: replaced_by
                        type: int
                        nullable: true
                        references: {name: items_replaced_by_fk, table: items, column: item_id}
                """,
                (old, next) -> {
                    exec(next, "INSERT INTO orders (item) VALUES (3)");
                    exec(next, "UPDATE items SET replaced_by = 2 WHERE item_id = 1");
                    assertThatThrownBy(() -> exec(next, "INSERT INTO orders (item) VALUES (999)"))
                            .hasMessageContaining("orders_item_fk");
                    assertThat(rows(old, "SELECT id FROM items WHERE id = 3")).containsExactly(List.of("3"));
                },
                (old, next) -> {
                    exec(next, "INSERT INTO orders (item) VALUES (4)");
                    assertThatThrownBy(() -> exec(next, "UPDATE items SET replaced_by = 999 WHERE item_id = 2"))
                            .hasMessageContaining("items_replaced_by_fk");
                });
        assertThat(h.db().queryValue("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = "
                        + "'orders_item_fk' AND connamespace = '" + h.schema() + "'::regnamespace"))
                .contains("REFERENCES " + h.schema() + ".items(item_id)");
    }

    @Test
    void renameColumnThenDropIt(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_no_name",
                """
                operations:
                  - rename_column: {table: items, from: name, to: label}
                  - drop_column: {table: items, column: label, down: "'from v2'"}
                """,
                (old, next) -> {
                    exec(next, "INSERT INTO items (id, price) VALUES (101, 1)");
                    assertThat(rows(old, "SELECT name FROM items WHERE id = 101"))
                            .containsExactly(List.of("from v2"));
                    assertThatThrownBy(() -> exec(next, "SELECT label FROM items"))
                            .hasMessageContaining("label");
                },
                (old, next) ->
                        assertThat(rows(next, "SELECT count(*) FROM items")).containsExactly(List.of("51")));
        assertThat(h.db().queryValue("SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
                        + h.schema() + "' AND table_name = 'items' AND column_name IN ('name', 'label')"))
                .isEqualTo("0");
    }

    @Test
    void dropTableThenCreateATableOfTheSameName(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_new_items",
                """
                operations:
                  - drop_table: {name: items}
                  - create_table:
                      name: items
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: label, type: text, unique: true}
                """,
                (old, next) -> {
                    // the old version keeps its table, under a temporary name, through its view
                    assertThat(rows(old, "SELECT count(*) FROM items")).containsExactly(List.of("50"));
                    exec(old, "INSERT INTO items (name, price) VALUES ('old', 5)");
                    assertThat(rows(old, "SELECT max(id) FROM items")).containsExactly(List.of("51"));
                    assertThat(rows(next, "SELECT count(*) FROM items")).containsExactly(List.of("0"));
                    exec(next, "INSERT INTO items (label) VALUES ('new')");
                    assertThat(rows(next, "SELECT id, label FROM items")).containsExactly(List.of("1", "new"));
                    assertThatThrownBy(() -> exec(next, "SELECT price FROM items"))
                            .hasMessageContaining("price");
                },
                (old, next) -> {
                    // the table the first start created went with its rollback; this one is the second start's
                    exec(next, "INSERT INTO items (label) VALUES ('after')");
                    assertThat(rows(next, "SELECT label FROM items ORDER BY id"))
                            .containsExactly(List.of("after"));
                });
        assertThat(h.db().query("SELECT relname FROM pg_class WHERE relnamespace = '" + h.schema()
                        + "'::regnamespace AND relname LIKE 'items%' ORDER BY 1"))
                .containsExactly(
                        List.of("items"), List.of("items_id_seq"), List.of("items_label_key"), List.of("items_pkey"));
    }

    @Test
    void aFailedStartPutsTheTableMovedAsideBackWithEveryRow(TestDatabase db) {
        MigrationHarness h = ThreePhases.prepared(db);
        String before = h.fingerprint();
        List<List<String>> rowsBefore = h.db().query("SELECT * FROM " + h.schema() + ".items ORDER BY id");
        assertThatThrownBy(
                        () -> h.start(
                                "02_fails",
                                """
                        operations:
                          - drop_table: {name: items}
                          - create_table: {name: items, columns: [{name: id, type: serial, pk: true}]}
                          - sql: {up: SELECT 1 / 0, down: SELECT 1}
                        """))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("operation 3")
                .hasMessageContaining("division by zero");
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(h.db().query("SELECT * FROM " + h.schema() + ".items ORDER BY id"))
                .isEqualTo(rowsBefore);
        h.assertNoTemporaryObjects();
    }

    @Test
    void createDropAndCreateAgainInOneMigration(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_third_time",
                """
                operations:
                  - create_table: {name: extra, columns: [{name: id, type: serial, pk: true}, {name: a, type: int}]}
                  - drop_table: {name: extra}
                  - create_table: {name: extra, columns: [{name: id, type: serial, pk: true}, {name: b, type: text}]}
                """,
                (old, next) -> {
                    exec(next, "INSERT INTO extra (b) VALUES ('third')");
                    assertThat(rows(next, "SELECT id, b FROM extra")).containsExactly(List.of("1", "third"));
                    assertThatThrownBy(() -> exec(next, "SELECT a FROM extra")).hasMessageContaining("a");
                },
                (old, next) -> {
                    exec(next, "INSERT INTO extra (b) VALUES ('after')");
                    assertThat(rows(next, "SELECT b FROM extra")).containsExactly(List.of("after"));
                });
        assertThat(h.db().query("SELECT relname FROM pg_class WHERE relnamespace = '" + h.schema()
                        + "'::regnamespace AND relname LIKE 'extra%' ORDER BY 1"))
                .containsExactly(List.of("extra"), List.of("extra_id_seq"), List.of("extra_pkey"));
    }

    @Test
    void aRenameCompletesAfterTheOperationsWhoseTriggersStillNameTheColumn(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        h.start(
                "02_title",
                """
                operations:
                  - rename_column: {table: items, from: name, to: title}
                  - drop_column: {table: items, column: price, down: "length(title)"}
                """);
        // a view on the column makes the drop's complete fail, after the rename's turn; complete refuses one
        // of another schema beforehand, so this one is put where that check does not look: in a version schema
        h.sql("CREATE VIEW " + h.schema() + "_02_title.price_list AS SELECT price FROM items");
        assertThatThrownBy(() -> h.pgroll().complete())
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("operation 2 (drop_column");
        try (Connection next = h.version("02_title")) {
            // the drop's trigger still fills price for the new version's writes, from the column it knows as name
            exec(next, "INSERT INTO items (id, title) VALUES (101, 'abcd')");
            assertThat(rows(next, "SELECT title FROM items WHERE id = 101")).containsExactly(List.of("abcd"));
        }
        assertThat(h.db().queryValue("SELECT price FROM " + h.schema() + ".items WHERE id = 101"))
                .isEqualTo("4");
        h.sql("DROP VIEW " + h.schema() + "_02_title.price_list");
        h.pgroll().complete();
        try (Connection next = h.version("02_title")) {
            assertThat(rows(next, "SELECT title FROM items WHERE id = 101")).containsExactly(List.of("abcd"));
        }
        h.assertNoTemporaryObjects();
    }
}
