package io.pgroll.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.PgrollException;
import io.pgroll.engine.Status;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A start whose k-th operation fails undoes exactly the operations before it, and of the one that
 * failed only what it had begun: whatever existed before the start (tables, rows, indexes) is as it
 * was, and the message says what happened.
 */
@ExtendWith(PostgresExtension.class)
class FailedStartTest {
    private static final String CREATE =
            """
            operations:
              - create_table:
                  name: items
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: name, type: text}
              - create_table:
                  name: users
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: email, type: text}
            """;

    /** Operations that fail at start, each at a different point of its work. */
    private static final List<String[]> FAILING = List.of(
            new String[] {
                "sql creating a table that exists",
                "- sql: {up: 'CREATE TABLE users (id int)', down: 'DROP TABLE users'}"
            },
            new String[] {
                "create_table whose check cannot be evaluated",
                """
                    - create_table:
                        name: fresh
                        columns:
                          - {name: id, type: int, check: {name: fresh_id, constraint: 'no_such_function(id) > 0'}}"""
            },
            new String[] {
                "add_column whose up fails half-way through the backfill",
                """
                    - add_column:
                        table: items
                        up: 1 / (id - 250)
                        column: {name: ratio, type: int, nullable: false}"""
            },
            new String[] {
                "alter_column whose up fails in the backfill",
                """
                    - alter_column:
                        table: items
                        column: name
                        type: int
                        up: CAST(name AS int)
                        down: CAST(name AS text)"""
            },
            new String[] {
                "create_constraint whose up fails in the backfill",
                """
                    - create_constraint:
                        table: items
                        name: name_short
                        type: check
                        columns: [name]
                        check: length(name) < 100
                        up: {name: CAST(1 / (id - 250) AS text)}
                        down: {name: name}"""
            },
            new String[] {
                "alter_column check that up leaves violated (the check's validation fails)",
                """
                    - alter_column:
                        table: items
                        column: name
                        check: {name: name_tiny, constraint: length(name) < 4}
                        up: CASE WHEN id = 250 THEN 'too long' ELSE left(name, 3) END
                        down: name"""
            },
            new String[] {
                "alter_column's second rewrite of the column failing in its backfill",
                """
                    - alter_column: {table: items, column: name, type: varchar(40), up: name, down: name}
                    - alter_column:
                        table: items
                        column: name
                        check: {name: name_short, constraint: length(name) < 40}
                        up: CAST(1 / (id - 250) AS text)
                        down: name"""
            },
            new String[] {
                "create_index whose predicate fails while the index is built",
                """
                    - create_index: {name: items_partial, table: items, columns: [{column: name}], predicate: 1 / (id - 250) > 0}"""
            },
            new String[] {
                "create_index unique over duplicate values",
                """
                    - create_index: {name: items_name_unique, table: items, columns: [{column: name}], unique: true}"""
            });

    /** Operations that succeed, placed before and after the failing one. */
    private static final List<String> SUCCEEDING = List.of(
            "- create_table: {name: extra, columns: [{name: id, type: int, pk: true}]}",
            "- sql: {up: 'CREATE TABLE side (id int)', down: 'DROP TABLE side'}",
            "- add_column: {table: users, up: id * 2, column: {name: twice, type: int, nullable: false}}",
            "- create_index: {name: users_email, table: users, columns: [{column: email}]}");

    static Stream<Arguments> failures() {
        List<Arguments> cases = new ArrayList<>();
        for (String[] failing : FAILING) {
            // a case of several operations fails in its last one
            int within =
                    (int) failing[1].lines().filter(l -> l.startsWith("- ")).count() - 1;
            cases.add(Arguments.of(failing[0], "first", List.of(failing[1], SUCCEEDING.get(0)), within));
            cases.add(Arguments.of(
                    failing[0], "middle", List.of(SUCCEEDING.get(1), failing[1], SUCCEEDING.get(2)), 1 + within));
            cases.add(Arguments.of(
                    failing[0], "last", List.of(SUCCEEDING.get(3), SUCCEEDING.get(0), failing[1]), 2 + within));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("failures")
    void aFailedStartUndoesExactlyWhatItDid(
            String failing, String position, List<String> operations, int failingIndex, TestDatabase db) {
        MigrationHarness h = prepared(db);
        String before = h.fingerprint();
        List<List<String>> rowsBefore = contents(h);
        String yaml = "operations:\n"
                + String.join(
                        "\n", operations.stream().map(FailedStartTest::indented).toList()) + "\n";

        assertThatThrownBy(() -> h.start("02_fails", yaml))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("start failed: operation " + (failingIndex + 1) + " (")
                .hasMessageContaining(
                        failingIndex == 0
                                ? "No operation before it needed undoing"
                                : failingIndex == 1
                                        ? "The operation before it was rolled back"
                                        : "The " + failingIndex + " operations before it were rolled back")
                .hasMessageContaining("operation " + (failingIndex + 1) + "'s own partial work, if any, was removed")
                .satisfies(e -> {
                    long count = operations.stream()
                            .flatMap(String::lines)
                            .filter(l -> l.startsWith("- "))
                            .count();
                    if (failingIndex + 1 < count) {
                        assertThat(e).hasMessageContaining("the operations after it never ran");
                    }
                    if (failingIndex == 0) {
                        assertThat(e).hasMessageEndingWith("so nothing was changed.");
                    } else {
                        assertThat(e).hasMessageContaining("Nothing that existed before the start was changed");
                    }
                })
                .hasMessageNotContaining("Undoing it failed");

        assertThat(h.fingerprint()).as("catalog after the failed start").isEqualTo(before);
        assertThat(contents(h)).as("rows after the failed start").isEqualTo(rowsBefore);
        h.assertNoTemporaryObjects();
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.COMPLETE);
        assertThat(h.pgroll().status().version()).isEqualTo("01_create");
    }

    @Test
    void theSqlThatFailedNeverRunsItsDown(TestDatabase db) {
        MigrationHarness h = prepared(db);
        assertThatThrownBy(
                        () -> h.start(
                                "02_users",
                                """
                        operations:
                          - sql:
                              up: CREATE TABLE users (id int)
                              down: DROP TABLE users
                        """))
                .hasMessageContaining("relation \"users\" already exists [SQLSTATE 42P07]")
                .hasMessageContaining("No operation before it needed undoing")
                .hasMessageEndingWith("so nothing was changed.");
        assertThat(h.db().queryValue("SELECT count(*) FROM " + h.schema() + ".users"))
                .isEqualTo("500");
    }

    @Test
    void anUndoThatFailsLeavesTheMigrationToRollbackWhichCanSkipTheFailingDown(TestDatabase db) {
        MigrationHarness h = prepared(db);
        assertThatThrownBy(
                        () -> h.start(
                                "02_bad_down",
                                """
                        operations:
                          - add_column: {table: users, up: id * 2, column: {name: twice, type: int}}
                          - sql: {up: 'CREATE TABLE side (id int)', down: 'DROP TABLE no_such_table'}
                          - sql: {up: 'SELECT 1 / 0'}
                        """))
                .hasMessageContaining("operation 3 (")
                .hasMessageContaining("division by zero")
                .hasMessageContaining("Undoing it failed too")
                .hasMessageContaining("operation 2 (")
                .hasMessageContaining("pgroll rollback --skip-failing-down")
                .hasMessageNotContaining("CASCADE");
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.IN_PROGRESS);
        assertThatThrownBy(() -> h.pgroll().complete())
                .hasMessageContaining("its rollback began")
                .hasMessageContaining("Run `pgroll rollback` again");
        assertThatThrownBy(() -> h.pgroll().rollback()).hasMessageContaining("no_such_table");

        h.pgroll().rollbackSkippingFailingSqlDown();
        assertThat(h.pgroll().status().version()).isEqualTo("01_create");
        h.assertNoTemporaryObjects();
        // what the skipped down should have undone is left, and said to be: nothing else is
        assertThat(h.db().queryValue("SELECT to_regclass('" + h.schema() + ".side') IS NOT NULL"))
                .isEqualTo("t");
        assertThat(h.db().queryValue("SELECT count(*) FROM " + h.schema() + ".users"))
                .isEqualTo("500");
    }

    @Test
    void aRollbackBlockedByADependentObjectNamesItAndARerunUndoesEachOperationOnce(TestDatabase db) {
        MigrationHarness h = prepared(db);
        h.sql("CREATE TABLE log (entry text)");
        h.start(
                "02_extra",
                """
                operations:
                  - create_table: {name: extra, columns: [{name: id, type: int, pk: true}]}
                  - sql: {up: "INSERT INTO log VALUES ('up')", down: "INSERT INTO log VALUES ('down')"}
                """);
        h.sql("CREATE VIEW extra_ids AS SELECT id FROM extra");

        assertThatThrownBy(() -> h.pgroll().rollback())
                .hasMessageContaining("operation 1 (create_table")
                .hasMessageContaining("view extra_ids depends on table extra")
                .hasMessageContaining("change or drop it yourself")
                .hasMessageNotContaining("CASCADE");
        assertThatThrownBy(() -> h.pgroll().complete()).hasMessageContaining("its rollback began");
        assertThatThrownBy(
                        () -> h.start(
                                "02_extra",
                                """
                        operations:
                          - create_table: {name: extra, columns: [{name: id, type: int, pk: true}]}
                          - sql: {up: "INSERT INTO log VALUES ('up')", down: "INSERT INTO log VALUES ('down')"}
                        """))
                .hasMessageContaining("its rollback began");

        h.sql("DROP VIEW extra_ids");
        h.pgroll().rollback();
        assertThat(h.db().query("SELECT entry FROM " + h.schema() + ".log ORDER BY entry"))
                .as("each down ran once")
                .containsExactly(List.of("down"), List.of("up"));
        assertThat(h.db().queryValue("SELECT to_regclass('" + h.schema() + ".extra') IS NULL"))
                .isEqualTo("t");
    }

    private static MigrationHarness prepared(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.sql(
                "INSERT INTO items (name) SELECT 'n' || (i % 100) FROM generate_series(1, 500) i",
                "INSERT INTO users (email) SELECT 'u' || i || '@example.com' FROM generate_series(1, 500) i");
        return h;
    }

    private static List<List<String>> contents(MigrationHarness h) {
        return h.db().query("SELECT 'items', id::text, name FROM " + h.schema()
                + ".items UNION ALL SELECT 'users', id::text," + " email FROM " + h.schema() + ".users ORDER BY 1, 2");
    }

    private static String indented(String operation) {
        return operation
                .lines()
                .map(line -> "  " + line)
                .reduce((a, b) -> a + "\n" + b)
                .orElse("");
    }
}
