package io.pgroll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DDL made by hand while a migration is active: complete and rollback name each change and refuse,
 * changing nothing, until it is undone or accepted.
 */
@ExtendWith(PostgresExtension.class)
class OutsideDdlTest {
    private static final String CREATE =
            """
            operations:
              - create_table:
                  name: users
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: name, type: varchar(40), nullable: true}
              - create_table:
                  name: audit
                  columns:
                    - {name: id, type: serial, pk: true}
            """;
    private static final String NAME_NOT_NULL =
            """
            operations:
              - alter_column:
                  table: users
                  column: name
                  nullable: false
                  up: coalesce(name, 'unknown')
                  down: name
            """;
    private static final String NAME_TO_TEXT =
            """
            operations:
              - alter_column: {table: users, column: name, type: text, up: name, down: name}
            """;

    @Test
    void aColumnAddedByHandStopsCompleteAndRollbackUntilAccepted(TestDatabase db) {
        MigrationHarness h = active(db, "02_name_not_null", NAME_NOT_NULL);
        h.sql("ALTER TABLE users ADD COLUMN nickname text");

        assertRefused(
                h, () -> h.pgroll().complete(), "completed", "complete", "column \"users\".\"nickname\" was added");
        assertRefused(
                h, () -> h.pgroll().rollback(), "rolled back", "rollback", "column \"users\".\"nickname\" was added");

        List<String> notices = new ArrayList<>();
        accepting(h, notices).complete();
        assertThat(notices).anyMatch(n -> n.contains("changed outside pgroll") && n.contains("\"nickname\" was added"));
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.COMPLETE);
        assertThat(db.queryValue("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + h.schema()
                        + "' AND table_name = 'users' AND column_name = 'nickname'"))
                .isEqualTo("1");
        h.assertNoTemporaryObjects();
    }

    @Test
    void aTableRenamedByHandIsNamedAndUndoingTheRenameLetsCompleteGoOn(TestDatabase db) {
        MigrationHarness h = active(db, "02_name_not_null", NAME_NOT_NULL);
        h.sql("ALTER TABLE users RENAME TO people");

        assertRefused(
                h, () -> h.pgroll().complete(), "completed", "complete", "table \"users\" was renamed to \"people\"");

        h.sql("ALTER TABLE people RENAME TO users");
        h.pgroll().complete();
        assertThat(db.queryValue("SELECT attnotnull FROM pg_attribute WHERE attrelid = '" + h.schema()
                        + ".users'::regclass AND attname = 'name'"))
                .isEqualTo("t");
        h.assertNoTemporaryObjects();
    }

    @Test
    void anIndexBuiltByHandOnTheMigrationsCopyStopsTheRollbackThatWouldDropIt(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.sql("INSERT INTO users (name) VALUES ('ada'), (NULL)");
        String before = h.fingerprint();
        h.start("02_name_to_text", NAME_TO_TEXT);
        h.sql("CREATE INDEX by_hand ON users (_pgroll_new_name)");

        assertRefused(
                h,
                () -> h.pgroll().rollback(),
                "rolled back",
                "rollback",
                "index \"by_hand\" was created on \"users\"");

        h.sql("DROP INDEX by_hand");
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(db.queryValue("SELECT count(*) FROM " + h.schema() + ".users"))
                .isEqualTo("2");
    }

    @Test
    void aTableDroppedAndOneCreatedByHandAreBothNamed(TestDatabase db) {
        MigrationHarness h = active(db, "02_name_not_null", NAME_NOT_NULL);
        h.sql("DROP TABLE audit CASCADE", "CREATE TABLE notes (body text)"); // CASCADE: the version views read it

        assertRefused(
                h,
                () -> h.pgroll().complete(),
                "completed",
                "complete",
                "table \"audit\" was dropped; table \"notes\" was created");
    }

    @Test
    void columnChangesByHandAreToldApart(TestDatabase db) {
        MigrationHarness h = active(db, "02_name_not_null", NAME_NOT_NULL);
        h.sql(
                "ALTER TABLE users ALTER COLUMN name SET DEFAULT 'anonymous'",
                "ALTER TABLE audit ADD COLUMN at timestamptz DEFAULT now() NOT NULL",
                "ALTER TABLE audit ADD CONSTRAINT audit_at_past CHECK (at <= now() + interval '1 day')");
        assertRefused(
                h,
                () -> h.pgroll().rollback(),
                "rolled back",
                "rollback",
                "column \"users\".\"name\" changed its default from none to 'anonymous'::character varying",
                "column \"audit\".\"at\" was added",
                "constraint \"audit_at_past\" was added to \"audit\"");
    }

    @Test
    void dataWrittenMeanwhileIsNoChange(TestDatabase db) {
        MigrationHarness h = active(db, "02_name_not_null", NAME_NOT_NULL);
        h.sql("INSERT INTO users (name) SELECT 'u' || g FROM generate_series(1, 500) g", "VACUUM ANALYZE users");
        h.pgroll().complete();
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.COMPLETE);
    }

    private static MigrationHarness active(TestDatabase db, String name, String yaml) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.sql("INSERT INTO users (name) VALUES ('ada'), (NULL)");
        h.start(name, yaml);
        return h;
    }

    private static void assertRefused(
            MigrationHarness h, ThrowingCallable command, String verb, String cli, String... changes) {
        String fingerprint = h.fingerprint();
        assertThatThrownBy(command)
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("cannot be " + verb + ": the schema \"" + h.schema()
                        + "\" changed outside pgroll since migration")
                .satisfies(e -> {
                    for (String change : changes) {
                        assertThat(e.getMessage()).contains(change);
                    }
                })
                .hasMessageContaining("run `pgroll " + cli + " --accept-outside-ddl`")
                .hasMessageEndingWith("Nothing was changed.")
                .extracting(e -> ((PgrollException) e).kind())
                .isEqualTo(PgrollException.ErrorKind.WRONG_STATE);
        assertThat(h.fingerprint()).as("the refused command changed nothing").isEqualTo(fingerprint);
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.IN_PROGRESS);
    }

    private static Pgroll accepting(MigrationHarness h, List<String> notices) {
        return h.configure()
                .acceptOutsideDdl(true)
                .listener(new MigrationListener() {
                    @Override
                    public void notice(String message) {
                        notices.add(message);
                    }
                })
                .load();
    }
}
