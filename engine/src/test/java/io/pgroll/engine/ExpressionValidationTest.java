package io.pgroll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code up} and {@code down} are read by the server before anything runs, over the row each is
 * evaluated on: one that cannot be read is refused, naming the operation, the column and the
 * expression; one that would end its statement and run another is refused before it reaches a trigger.
 */
@ExtendWith(PostgresExtension.class)
class ExpressionValidationTest {
    private static final String CREATE =
            "operations:\n  - create_table: {name: users, columns: [{name: id, type: serial, pk: true}, "
                    + "{name: name, type: text, nullable: true}]}\n";

    @Test
    void anUpTheServerCannotReadIsRefusedBeforeAnythingRuns(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_users", CREATE);
        String before = h.fingerprint();
        for (String[] bad : new String[][] {
            {"SELEC bio", "syntax error"},
            {"no_such_function(name)", "no_such_function"},
            {"nmae || '!'", "nmae"},
            {"1); DROP TABLE users; --", "closes a parenthesis it did not open"},
            {"1; DROP TABLE users", "';' outside quotes"},
            {"(name", "'(' is not closed"},
        }) {
            String yaml = "operations:\n  - add_column: {table: users, up: \"" + bad[0]
                    + "\", column: {name: bio, type: text, nullable: false}}\n";
            assertThatThrownBy(() -> h.pgroll().validate(MigrationHarness.migration("02_bio", yaml)))
                    .as(bad[0])
                    .isInstanceOf(PgrollException.class)
                    .hasMessageContaining("operation 1 (add_column \"users\".\"bio\")")
                    .hasMessageContaining("`up` of column \"bio\", \"" + bad[0] + "\", is not")
                    .hasMessageContaining(bad[1]);
            assertThatThrownBy(() -> h.start("02_bio", yaml)).as(bad[0]).isInstanceOf(PgrollException.class);
        }
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(h.pgroll().status().version()).isEqualTo("01_users");
    }

    @Test
    void aFragmentThatWouldEndItsStatementIsRefusedEvenAfterRawSql(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_users", CREATE);
        String before = h.fingerprint();
        assertThatThrownBy(
                        () -> h.start(
                                "02_sneaky",
                                """
                        operations:
                          - sql: {up: "CREATE TABLE side (id int)", down: "DROP TABLE side"}
                          - add_column: {table: users, up: "name; DROP TABLE users", column: {name: bio, type: text}}
                        """))
                .hasMessageContaining("operation 2")
                .hasMessageContaining("is not one expression");
        assertThat(h.fingerprint()).isEqualTo(before);
    }

    @Test
    void aCheckADefaultOrAPredicateThatIsNotOneExpressionIsRefused(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_users", CREATE);
        String before = h.fingerprint();
        for (String[] bad : new String[][] {
            {
                "- alter_column: {table: users, column: name, check: {name: c, constraint: \"true); DROP TABLE users; --\"},"
                        + " up: name, down: name}",
                "`constraint`"
            },
            {"- add_column: {table: users, column: {name: n, type: int, default: \"1; DROP TABLE users\"}}", "`default`"
            },
            {
                "- create_index: {name: i, table: users, columns: [{column: name}], predicate: \"true; DROP TABLE users\"}",
                "`predicate`"
            },
            {
                "- create_constraint: {table: users, name: c, type: check, columns: [name], check: \"true; SELECT 1\","
                        + " up: {name: name}, down: {name: name}}",
                "`check`"
            },
        }) {
            assertThatThrownBy(() -> h.start("02_bad", "operations:\n  " + bad[0] + "\n"))
                    .as(bad[0])
                    .hasMessageContaining("operation 1")
                    .hasMessageContaining(bad[1])
                    .hasMessageContaining("is not one expression");
        }
        assertThat(h.fingerprint()).isEqualTo(before);
    }

    @Test
    void downIsReadOverTheNewVersionsRowAndAnUnknownNameInItIsOnlyWarnedOf(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_users", CREATE);
        // down reads the column by its final name, given by a rename later in the migration
        h.pgroll()
                .validate(
                        MigrationHarness.migration(
                                "02_title",
                                """
                        operations:
                          - alter_column: {table: users, column: name, nullable: false, up: "coalesce(name, '')", down: upper(title)}
                          - rename_column: {table: users, from: name, to: title}
                        """));
        assertThatThrownBy(() -> h.pgroll()
                        .validate(MigrationHarness.migration(
                                "02_bad_down",
                                "operations:\n  - alter_column: {table: users, column: name, nullable: false,"
                                        + " up: \"coalesce(name, '')\", down: \"upper(name) +\"}\n")))
                .hasMessageContaining("`down` of column \"name\", \"upper(name) +\"")
                .hasMessageContaining("syntax error");
        List<String> notices = new CopyOnWriteArrayList<>();
        Pgroll listened = Pgroll.configure()
                .dataSource(db.dataSource())
                .schema(h.schema())
                .listener(new MigrationListener() {
                    @Override
                    public void notice(String message) {
                        notices.add(message);
                    }
                })
                .load();
        // as in pgroll's own example 35: a down naming a column no version has
        listened.validate(MigrationHarness.migration(
                "02_odd_down",
                "operations:\n  - alter_column: {table: users, column: name, nullable: false,"
                        + " up: \"coalesce(name, '')\", down: event_name}\n"));
        assertThat(notices).anySatisfy(n -> assertThat(n)
                .contains("`down` of column \"name\", \"event_name\"")
                .contains("the new version's writes will fail"));
    }
}
