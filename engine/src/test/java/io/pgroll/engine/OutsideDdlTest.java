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

    /**
     * Views of another schema built meanwhile on what complete drops: the old column a type change
     * replaces, and the previous version's view. Complete would fail half-way on the first, after it
     * retired the old version, and drop the second with its version schema; it refuses before either,
     * accepted outside DDL or not, and goes on once they are gone.
     */
    @Test
    void viewsOfAnotherSchemaOnWhatCompleteDropsStopItBeforeItChangesAnything(TestDatabase db) {
        MigrationHarness h = activeWithViewsElsewhere(
                db, "names AS SELECT id, name FROM %s.users", "old_users AS SELECT * FROM %s_01_create.users");
        String reporting = "reporting_" + h.schema();
        String fingerprint = h.fingerprint();

        for (Pgroll pgroll : List.of(h.pgroll(), accepting(h, new ArrayList<>()))) {
            assertThatThrownBy(pgroll::complete)
                    .isInstanceOf(PgrollException.class)
                    .hasMessageStartingWith("Migration \"02_name_to_text\" cannot be completed: view " + reporting
                            + ".names (on column name of table users); view " + reporting + ".old_users (on view"
                            + " users of version schema " + h.schema() + "_01_create) would be left without what it"
                            + " is built on.")
                    .hasMessageEndingWith("then run `pgroll complete` again. Nothing was changed.");
            assertThat(h.fingerprint())
                    .as("the refused complete changed nothing")
                    .isEqualTo(fingerprint);
            assertThat(h.pgroll().status().state()).isEqualTo(Status.State.IN_PROGRESS);
        }
        assertThat(db.queryValue("SELECT count(*) FROM " + h.schema() + "_01_create.users"))
                .as("the old version still serves")
                .isEqualTo("2");

        h.sql("DROP VIEW " + reporting + ".names", "DROP VIEW " + reporting + ".old_users");
        h.pgroll().complete();
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.COMPLETE);
        h.assertNoTemporaryObjects();
    }

    /** The same for rollback: a view on the new version's view, and one on the copy start made. */
    @Test
    void viewsOfAnotherSchemaOnWhatRollbackDropsStopItBeforeItChangesAnything(TestDatabase db) {
        MigrationHarness h = activeWithViewsElsewhere(
                db,
                "new_users AS SELECT * FROM %s_02_name_to_text.users",
                "copies AS SELECT _pgroll_new_name FROM %s.users");
        String reporting = "reporting_" + h.schema();
        String fingerprint = h.fingerprint();

        assertThatThrownBy(() -> h.pgroll().rollback())
                .isInstanceOf(PgrollException.class)
                .hasMessageStartingWith("Migration \"02_name_to_text\" cannot be rolled back: view " + reporting
                        + ".copies (on column _pgroll_new_name of table users); view " + reporting + ".new_users (on"
                        + " view users of version schema " + h.schema() + "_02_name_to_text)")
                .hasMessageEndingWith("then run `pgroll rollback` again. Nothing was changed.");
        assertThat(h.fingerprint()).isEqualTo(fingerprint);
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.IN_PROGRESS);

        h.sql("DROP SCHEMA " + reporting + " CASCADE");
        h.pgroll().rollback();
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.COMPLETE);
    }

    /**
     * Objects made by hand inside a version schema: the schema complete or rollback drops would take
     * them along (DROP SCHEMA ... CASCADE), so both refuse, naming each, until they are moved or dropped.
     */
    @Test
    void objectsMadeInsideAVersionSchemaStopTheCommandThatDropsIt(TestDatabase db) {
        MigrationHarness h = active(db, "02_name_to_text", NAME_TO_TEXT);
        String previous = h.schema() + "_01_create";
        String next = h.schema() + "_02_name_to_text";
        h.sql(
                "CREATE VIEW " + previous + ".report AS SELECT count(*) AS n FROM " + h.schema() + ".audit",
                "CREATE FUNCTION " + previous + ".twice(i integer) RETURNS integer LANGUAGE sql AS 'SELECT 2 * i'",
                "CREATE TABLE " + next + ".scratch (note text)");
        String fingerprint = h.fingerprint();

        assertThatThrownBy(() -> h.pgroll().complete())
                .isInstanceOf(PgrollException.class)
                .hasMessageStartingWith("Migration \"02_name_to_text\" cannot be completed: function " + previous
                        + ".twice(integer) (made inside version schema " + previous + "); view " + previous
                        + ".report (made inside version schema " + previous + ") would be left")
                .hasMessageEndingWith("Nothing was changed.");
        assertThatThrownBy(() -> h.pgroll().rollback())
                .isInstanceOf(PgrollException.class)
                .hasMessageStartingWith("Migration \"02_name_to_text\" cannot be rolled back: table " + next
                        + ".scratch (made inside version schema " + next + ") would be left")
                .hasMessageEndingWith("Nothing was changed.");
        assertThat(h.fingerprint()).as("the refused commands changed nothing").isEqualTo(fingerprint);
        assertThat(db.queryValue("SELECT " + previous + ".twice(21)")).isEqualTo("42");

        h.sql("DROP TABLE " + next + ".scratch");
        h.sql("DROP VIEW " + previous + ".report", "DROP FUNCTION " + previous + ".twice(integer)");
        h.pgroll().complete();
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.COMPLETE);
        h.assertNoTemporaryObjects();
    }

    /**
     * The type change active, and views made by hand in a schema of their own, {@code reporting_<schema>},
     * each {@code "name AS query"} with {@code %s} for the migrated schema.
     */
    private static MigrationHarness activeWithViewsElsewhere(TestDatabase db, String... views) {
        MigrationHarness h = active(db, "02_name_to_text", NAME_TO_TEXT);
        String reporting = "reporting_" + h.schema();
        h.sql("CREATE SCHEMA " + reporting);
        for (String view : views) {
            h.sql("CREATE VIEW " + reporting + "." + view.replace("%s", h.schema()));
        }
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
