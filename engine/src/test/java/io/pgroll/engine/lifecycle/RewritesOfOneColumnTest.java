package io.pgroll.engine.lifecycle;

import static io.pgroll.testing.Rows.exec;
import static io.pgroll.testing.Rows.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.PgrollException;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several operations of one migration that each rewrite the same column, as pgroll runs them: the
 * later ones amend the copy the first made, and each version reads and writes its own shape, the
 * expressions applied in the migration's order one way and in reverse the other.
 */
@ExtendWith(PostgresExtension.class)
class RewritesOfOneColumnTest {

    @Test
    void aCheckThenNotNullOnOneColumn(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_name_required",
                """
                operations:
                  - alter_column:
                      table: items
                      column: name
                      check: {name: name_short, constraint: length(name) < 9}
                      up: left(name, 8)
                      down: name
                  - alter_column:
                      table: items
                      column: name
                      nullable: false
                      up: "coalesce(name, 'none')"
                      down: name
                """,
                (old, next) -> {
                    exec(old, "INSERT INTO items (id, name, price) VALUES (101, NULL, 1)");
                    exec(old, "INSERT INTO items (id, name, price) VALUES (102, 'abcdefghijkl', 1)");
                    assertThat(rows(next, "SELECT id, name FROM items WHERE id IN (1, 101, 102) ORDER BY id"))
                            .containsExactly(List.of("1", "n1"), List.of("101", "none"), List.of("102", "abcdefgh"));
                    exec(next, "INSERT INTO items (id, name, price) VALUES (103, 'short', 1)");
                    assertThat(rows(old, "SELECT name FROM items WHERE id = 103"))
                            .containsExactly(List.of("short"));
                    assertThatThrownBy(() -> exec(next, "INSERT INTO items (id, name, price) VALUES (104, NULL, 1)"))
                            .hasMessageContaining("_pgroll_check_not_null");
                    assertThatThrownBy(() ->
                                    exec(next, "INSERT INTO items (id, name, price) VALUES (105, 'much too long', 1)"))
                            .hasMessageContaining("name_short");
                },
                (old, next) -> {
                    assertThat(rows(next, "SELECT name FROM items WHERE id IN (101, 102) ORDER BY id"))
                            .containsExactly(List.of("none"), List.of("abcdefgh"));
                    assertThatThrownBy(() -> exec(next, "INSERT INTO items (name, price) VALUES (NULL, 1)"))
                            .hasMessageContaining("null value");
                    assertThatThrownBy(() -> exec(next, "INSERT INTO items (name, price) VALUES ('much too long', 1)"))
                            .hasMessageContaining("name_short");
                });
        assertThat(h.db().queryValue("SELECT is_nullable FROM information_schema.columns WHERE table_schema = '"
                        + h.schema() + "' AND table_name = 'items' AND column_name = 'name'"))
                .isEqualTo("NO");
        assertThat(validated(h, "name_short")).isEqualTo("1");
    }

    @Test
    void upAppliesInTheMigrationsOrderAndDownInReverse(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_price_cents",
                """
                operations:
                  - alter_column:
                      table: items
                      column: price
                      type: bigint
                      up: price * 10
                      down: (price / 10)::int
                  - alter_column:
                      table: items
                      column: price
                      default: "11"
                      check: {name: price_ends_in_one, constraint: price % 10 = 1}
                      up: price + 1
                      down: price - 1
                """,
                (old, next) -> {
                    // existing rows: 5 * 10 + 1, not (5 + 1) * 10
                    assertThat(rows(next, "SELECT price FROM items WHERE id = 5"))
                            .containsExactly(List.of("51"));
                    exec(old, "INSERT INTO items (id, name, price) VALUES (101, 'a', 7)");
                    assertThat(rows(next, "SELECT price FROM items WHERE id = 101"))
                            .containsExactly(List.of("71"));
                    // (91 - 1) / 10, not 91 / 10 - 1
                    exec(next, "INSERT INTO items (id, name, price) VALUES (102, 'b', 91)");
                    assertThat(rows(old, "SELECT price FROM items WHERE id = 102"))
                            .containsExactly(List.of("9"));
                    exec(next, "INSERT INTO items (id, name) VALUES (103, 'c')");
                    assertThat(rows(old, "SELECT price FROM items WHERE id = 103"))
                            .containsExactly(List.of("1"));
                    assertThatThrownBy(() -> exec(next, "INSERT INTO items (id, name, price) VALUES (104, 'd', 52)"))
                            .hasMessageContaining("price_ends_in_one");
                    exec(next, "UPDATE items SET price = 31 WHERE id = 101");
                    assertThat(rows(old, "SELECT price FROM items WHERE id = 101"))
                            .containsExactly(List.of("3"));
                },
                (old, next) -> {
                    assertThat(rows(next, "SELECT price FROM items WHERE id IN (5, 101) ORDER BY id"))
                            .containsExactly(List.of("51"), List.of("31"));
                    exec(next, "INSERT INTO items (id, name) VALUES (201, 'e')");
                    assertThat(rows(next, "SELECT price FROM items WHERE id = 201"))
                            .containsExactly(List.of("11"));
                });
        assertThat(h.db().queryValue("SELECT data_type FROM information_schema.columns WHERE table_schema = '"
                        + h.schema() + "' AND table_name = 'items' AND column_name = 'price'"))
                .isEqualTo("bigint");
        assertThat(validated(h, "price_ends_in_one")).isEqualTo("1");
        assertThat(validated(h, "price_positive")).isEqualTo("1");
    }

    @Test
    void aRenameBetweenTwoRewritesOfTheColumn(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_title",
                """
                operations:
                  - alter_column: {table: items, column: name, type: varchar(20), up: "left(name, 20)", down: name}
                  - rename_column: {table: items, from: name, to: title}
                  - alter_column:
                      table: items
                      column: title
                      nullable: false
                      up: "coalesce(title, 'untitled')"
                      down: title
                """,
                (old, next) -> {
                    exec(old, "INSERT INTO items (id, name, price) VALUES (101, NULL, 1)");
                    exec(old, "INSERT INTO items (id, name, price) VALUES (102, repeat('x', 30), 1)");
                    assertThat(rows(next, "SELECT id, title FROM items WHERE id IN (1, 101, 102) ORDER BY id"))
                            .containsExactly(
                                    List.of("1", "n1"), List.of("101", "untitled"), List.of("102", "x".repeat(20)));
                    exec(next, "UPDATE items SET title = 'renamed' WHERE id = 101");
                    assertThat(rows(old, "SELECT name FROM items WHERE id = 101"))
                            .containsExactly(List.of("renamed"));
                    assertThatThrownBy(() -> exec(next, "INSERT INTO items (id, title, price) VALUES (103, NULL, 1)"))
                            .hasMessageContaining("_pgroll_check_not_null");
                },
                (old, next) -> assertThat(rows(next, "SELECT title FROM items WHERE id = 101"))
                        .containsExactly(List.of("renamed")));
        assertThat(h.db().query("SELECT column_name, data_type, is_nullable FROM information_schema.columns"
                        + " WHERE table_schema = '" + h.schema() + "' AND table_name = 'items' ORDER BY column_name"))
                .containsExactly(
                        List.of("id", "integer", "NO"),
                        List.of("price", "integer", "NO"),
                        List.of("title", "character varying", "NO"));
    }

    @Test
    void aTypeChangeThenDroppingAConstraintTheCopyCarried(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_any_price",
                """
                operations:
                  - alter_column: {table: items, column: price, type: bigint, up: price, down: price::int}
                  - drop_constraint: {table: items, name: price_positive, down: "greatest(price, 1)"}
                """,
                (old, next) -> {
                    exec(next, "INSERT INTO items (id, name, price) VALUES (101, 'a', -5)");
                    assertThat(rows(old, "SELECT price FROM items WHERE id = 101"))
                            .containsExactly(List.of("1"));
                    assertThatThrownBy(() -> exec(old, "INSERT INTO items (id, name, price) VALUES (102, 'b', -5)"))
                            .hasMessageContaining("price_positive");
                },
                (old, next) -> exec(next, "INSERT INTO items (id, name, price) VALUES (201, 'c', -7)"));
        assertThat(h.db().queryValue("SELECT count(*) FROM pg_constraint WHERE conrelid = '" + h.schema()
                        + ".items'::regclass AND contype = 'c'"))
                .isEqualTo("0");
    }

    @Test
    void notNullThenAUniqueConstraintOnTheSameColumn(TestDatabase db) throws SQLException {
        MigrationHarness h = ThreePhases.prepared(db);
        ThreePhases.run(
                h,
                "02_name_key",
                """
                operations:
                  - alter_column: {table: items, column: name, nullable: false, up: "coalesce(name, 'id' || id)", down: name}
                  - create_constraint:
                      table: items
                      name: name_unique
                      type: unique
                      columns: [name]
                      up: {name: "name || '-' || id"}
                      down: {name: name}
                """,
                (old, next) -> {
                    exec(old, "INSERT INTO items (id, name, price) VALUES (101, 'n1', 1)");
                    exec(old, "INSERT INTO items (id, name, price) VALUES (102, NULL, 1)");
                    assertThat(rows(next, "SELECT id, name FROM items WHERE id IN (1, 101, 102) ORDER BY id"))
                            .containsExactly(
                                    List.of("1", "n1-1"), List.of("101", "n1-101"), List.of("102", "id102-102"));
                    assertThatThrownBy(() -> exec(next, "INSERT INTO items (id, name, price) VALUES (103, 'n1-1', 1)"))
                            .hasMessageContaining("name_unique");
                },
                (old, next) -> assertThatThrownBy(
                                () -> exec(next, "INSERT INTO items (name, price) VALUES ('n2-2', 1)"))
                        .hasMessageContaining("name_unique"));
        assertThat(h.db().queryValue("SELECT count(*) FROM pg_constraint WHERE conrelid = '" + h.schema()
                        + ".items'::regclass AND conname = 'name_unique' AND contype = 'u'"))
                .isEqualTo("1");
    }

    @Test
    void aFailedValidationOfTheSecondRewriteUndoesTheFirstAndLosesNothing(TestDatabase db) {
        MigrationHarness h = ThreePhases.prepared(db);
        h.sql("UPDATE items SET name = NULL WHERE id = 7");
        String before = h.fingerprint();
        List<List<String>> rows = h.db().query("SELECT * FROM " + h.schema() + ".items ORDER BY id");
        assertThatThrownBy(
                        () -> h.start(
                                "02_bad",
                                """
                        operations:
                          - alter_column: {table: items, column: name, type: varchar(40), up: name, down: name}
                          - alter_column: {table: items, column: name, nullable: false, up: name, down: name}
                        """))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("operation 2");
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(h.db().query("SELECT * FROM " + h.schema() + ".items ORDER BY id"))
                .isEqualTo(rows);
    }

    @Test
    void aTypeChangeAfterAnotherRewriteIsRefusedBeforeAnythingRuns(TestDatabase db) {
        MigrationHarness h = ThreePhases.prepared(db);
        String before = h.fingerprint();
        assertThatThrownBy(
                        () -> h.start(
                                "02_twice",
                                """
                        operations:
                          - alter_column: {table: items, column: name, check: {name: name_short, constraint: length(name) < 9}, up: name, down: name}
                          - alter_column: {table: items, column: name, type: varchar(8), up: name, down: name}
                        """))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("operation 2")
                .hasMessageContaining("change the type in the first operation");
        assertThat(h.fingerprint()).isEqualTo(before);
    }

    @Test
    void aConstraintOverARewrittenColumnAndAnotherIsRefusedBeforeAnythingRuns(TestDatabase db) {
        MigrationHarness h = ThreePhases.prepared(db);
        String before = h.fingerprint();
        assertThatThrownBy(
                        () -> h.start(
                                "02_mixed",
                                """
                        operations:
                          - alter_column: {table: items, column: name, nullable: false, up: "coalesce(name, '')", down: name}
                          - create_constraint: {table: items, name: name_price, type: unique, columns: [name, price], up: {name: name, price: price}, down: {name: name, price: price}}
                        """))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("operation 2")
                .hasMessageContaining("columns name of table \"items\" were changed earlier");
        assertThat(h.fingerprint()).isEqualTo(before);
    }

    private static String validated(MigrationHarness h, String constraint) {
        return h.db().queryValue("SELECT count(*) FROM pg_constraint WHERE conrelid = '" + h.schema()
                + ".items'::regclass AND conname = '" + constraint + "' AND convalidated");
    }
}
