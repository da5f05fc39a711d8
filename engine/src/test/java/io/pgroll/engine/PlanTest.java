package io.pgroll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.engine.Plan.Kind;
import io.pgroll.engine.Plan.Step;
import io.pgroll.engine.Plan.TableLock;
import io.pgroll.engine.Plan.TableWork;
import io.pgroll.engine.Plan.Work;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code plan} against what really runs: the DDL statements the server saw (an event trigger records
 * each one's text as the client sent it) during a real start, rollback and complete are exactly the
 * plan's, in order; the locks, scans and rewrites it reports are the server's; and the plan leaves
 * nothing behind.
 */
@ExtendWith(PostgresExtension.class)
class PlanTest {
    private static final String CREATE_USERS =
            """
            operations:
              - create_table:
                  name: users
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: name, type: text, nullable: true}
                    - {name: score, type: integer, nullable: true}
            """;
    private static final String RESHAPE_USERS =
            """
            operations:
              - add_column:
                  table: users
                  column: {name: email, type: text, nullable: false, unique: true}
                  up: "coalesce(name, 'x') || id || '@example.com'"
              - alter_column:
                  table: users
                  column: score
                  type: bigint
                  up: score
                  down: score
              - create_index:
                  name: users_by_name
                  table: users
                  columns: [{column: name}]
              - rename_column:
                  table: users
                  from: name
                  to: full_name
            """;

    @Test
    void thePlannedStatementsAreTheOnesTheServerRuns(TestDatabase db) {
        var h = MigrationHarness.create(db);
        h.startAndComplete("01_users", CREATE_USERS);
        h.sql("INSERT INTO users (name, score) SELECT 'u' || g, g FROM generate_series(1, 300) g", "ANALYZE users");
        String before = h.fingerprint();
        var history = h.pgroll().history();
        var schemasBefore = schemas(db);

        Plan plan = h.pgroll().plan(MigrationHarness.migration("02_reshape", RESHAPE_USERS));

        assertThat(h.fingerprint()).as("the database after plan").isEqualTo(before);
        assertThat(h.pgroll().history()).isEqualTo(history);
        assertThat(schemas(db)).isEqualTo(schemasBefore);
        assertThat(plan.serverMajor()).isGreaterThanOrEqualTo(14);
        assertThat(plan.notCopied()).isEmpty();

        List<String> started = DdlCapture.during(h, () -> h.start("02_reshape", RESHAPE_USERS));
        List<String> rolledBack = DdlCapture.during(h, () -> h.pgroll().rollback());
        h.start("02_reshape", RESHAPE_USERS);
        List<String> completed = DdlCapture.during(h, () -> h.pgroll().complete());

        assertThat(DdlCapture.of(plan.start(), h)).isNotEmpty().isEqualTo(started);
        assertThat(DdlCapture.of(plan.rollback(), h)).isNotEmpty().isEqualTo(rolledBack);
        assertThat(DdlCapture.of(plan.complete(), h)).isNotEmpty().isEqualTo(completed);
        // complete retires the version before
        assertThat(DdlCapture.of(plan.complete(), h))
                .anyMatch(s -> s.startsWith("DROP SCHEMA") && s.contains("_01_users"));

        Step addColumn = plan.start().stream()
                .filter(s -> s.operation() == 1 && s.sql().startsWith("ALTER TABLE"))
                .findFirst()
                .orElseThrow();
        assertThat(addColumn.locks()).containsExactly(new TableLock("users", "ACCESS EXCLUSIVE"));
        assertThat(addColumn.locks().get(0).blocksReads()).isTrue();
        assertThat(addColumn.work())
                .as("adding a nullable column without a default")
                .isEmpty();

        assertThat(plan.start())
                .filteredOn(s -> s.kind() == Kind.BACKFILL)
                .extracting(Step::operation)
                .containsExactly(1, 2);
        assertThat(plan.start())
                .filteredOn(s -> s.kind() == Kind.BACKFILL)
                .flatExtracting(Step::work)
                .containsOnly(new TableWork("users", Work.BACKFILL, 300));

        Step index = plan.start().stream()
                .filter(s -> s.operation() == 3 && s.kind() == Kind.CONCURRENT)
                .findFirst()
                .orElseThrow();
        assertThat(index.sql()).startsWith("CREATE INDEX CONCURRENTLY");
        assertThat(index.locks()).containsExactly(new TableLock("users", "SHARE UPDATE EXCLUSIVE"));
        assertThat(index.locks().get(0).blocksWrites()).isFalse();
        assertThat(index.work()).containsExactly(new TableWork("users", Work.SCAN, 300));

        Step validate = plan.start().stream()
                .filter(s -> s.sql().contains("VALIDATE CONSTRAINT"))
                .findFirst()
                .orElseThrow();
        assertThat(validate.kind()).isEqualTo(Kind.CONCURRENT);
        assertThat(validate.locks()).containsExactly(new TableLock("users", "SHARE UPDATE EXCLUSIVE"));
        assertThat(validate.work()).containsExactly(new TableWork("users", Work.SCAN, 300));
        // a statement shows a lock only where it makes its transaction's lock on the table stronger
        assertThat(plan.complete())
                .flatExtracting(Step::locks)
                .filteredOn(l -> l.mode().equals("ACCESS SHARE"))
                .isEmpty();

        // each statement's locks are the ones its transaction did not hold yet
        for (List<Step> phase : List.of(plan.start(), plan.complete(), plan.rollback())) {
            assertThat(phase.stream().map(Step::transaction).toList()).isSorted();
        }
    }

    @Test
    void scansAndRewritesAreTheServersOwn(TestDatabase db) {
        var h = MigrationHarness.create(db);
        h.sql(
                "CREATE TABLE items (id int PRIMARY KEY, n int, label varchar(10))",
                "INSERT INTO items SELECT g, g FROM generate_series(1, 200) g",
                "ANALYZE items");
        Plan plan = h.pgroll()
                .plan(
                        MigrationHarness.migration(
                                "02_items",
                                """
                        operations:
                          - sql: {up: "ALTER TABLE items ALTER COLUMN n TYPE bigint"}
                          - sql: {up: "ALTER TABLE items ADD CONSTRAINT positive CHECK (n > 0)"}
                          - sql: {up: "ALTER TABLE items ADD CONSTRAINT small CHECK (n < 1000) NOT VALID"}
                          - sql: {up: "ALTER TABLE items ALTER COLUMN label TYPE varchar(20)"}
                          - sql: {up: "ALTER TABLE items ALTER COLUMN n TYPE bigint"}
                        """));

        assertThat(userStep(plan, 1).work()).containsExactly(new TableWork("items", Work.REWRITE, 200));
        assertThat(userStep(plan, 1).locks()).contains(new TableLock("items", "ACCESS EXCLUSIVE"));
        assertThat(userStep(plan, 2).work()).containsExactly(new TableWork("items", Work.SCAN, 200));
        assertThat(userStep(plan, 3).work()).as("NOT VALID checks no row").isEmpty();
        assertThat(userStep(plan, 4).work())
                .as("a type change to the type it has")
                .isEmpty();
        assertThat(plan.notices())
                .anyMatch(n -> n.contains("operation 2 (sql)")
                        && n.toLowerCase(Locale.ROOT).contains("not valid"));
        assertThat(plan.notices()).noneMatch(n -> n.contains("_pp"));
    }

    @Test
    void whatTheCopyLacksIsSaid(TestDatabase db) {
        var h = MigrationHarness.create(db);
        h.sql(
                "CREATE TABLE items (id int PRIMARY KEY, n int)",
                "CREATE VIEW item_numbers AS SELECT n FROM items",
                "CREATE TABLE other (id int PRIMARY KEY)",
                "CREATE TABLE public.plan_outside (id int PRIMARY KEY)",
                "ALTER TABLE other ADD FOREIGN KEY (id) REFERENCES public.plan_outside (id)");
        try {
            Plan plan = h.pgroll()
                    .plan(MigrationHarness.migration(
                            "02_items", "operations:\n  - drop_column: {table: items, column: n, down: '0'}\n"));
            assertThat(plan.notCopied()).containsExactly("1 view(s)", "1 foreign key(s) to or from another schema");
        } finally {
            h.sql("DROP TABLE other", "DROP TABLE public.plan_outside");
        }
    }

    @Test
    void aRehearsalThatFailsSaysWhyInTheRealNamesAndLeavesNothing(TestDatabase db) {
        var h = MigrationHarness.create(db);
        h.sql("CREATE TABLE items (id int PRIMARY KEY, n int)");
        String before = h.fingerprint();
        var schemasBefore = schemas(db);

        assertThatThrownBy(() -> h.pgroll()
                        .plan(MigrationHarness.migration(
                                "02_bad", "operations:\n  - sql: {up: 'ALTER TABLE items ADD COLUMN n int'}\n")))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("plan: the rehearsal failed")
                .hasMessageContaining("column \"n\" of relation \"items\" already exists")
                .hasMessageNotContaining("_pp");
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(schemas(db)).isEqualTo(schemasBefore);
    }

    @Test
    void sqlThatCouldReachBeyondTheCopyIsNotRehearsed(TestDatabase db) {
        var h = MigrationHarness.create(db);
        h.sql("CREATE TABLE items (id int PRIMARY KEY, n int)", "INSERT INTO items VALUES (1, 1)");
        String before = h.fingerprint();
        String qualified = "UPDATE \\\"" + h.schema() + "\\\".items SET n = 2";
        for (String[] sqlAndReason : List.of(
                new String[] {qualified, "names schema \"" + h.schema() + "\""},
                new String[] {"SELECT 'public.items'::regclass", "names schema \"public\""},
                new String[] {"SET search_path TO public", "changes the search path"},
                new String[] {
                    "DO $$ BEGIN EXECUTE 'UPDATE items SET n = 3'; END $$", "builds statements as it runs (EXECUTE)"
                })) {
            String yaml = "operations:\n  - sql: {up: \"" + sqlAndReason[0] + "\"}\n";
            assertThatThrownBy(() -> h.pgroll().plan(MigrationHarness.migration("02_reach", yaml)))
                    .as(sqlAndReason[0])
                    .isInstanceOf(PgrollException.class)
                    .hasMessageContaining(
                            "migration \"02_reach\": cannot plan operation 1 (sql): it " + sqlAndReason[1]);
        }
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(db.query("SELECT n FROM \"" + h.schema() + "\".items")).containsExactly(List.of("1"));

        // a trigger's EXECUTE FUNCTION and a column qualified by its table reach nothing
        Plan plan = h.pgroll()
                .plan(
                        MigrationHarness.migration(
                                "02_fine",
                                """
                        operations:
                          - sql:
                              up: |
                                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.n := NEW.n + 1; RETURN NEW; END $$;
                                CREATE TRIGGER touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();
                                UPDATE items SET n = items.n WHERE items.id = 1
                        """));
        assertThat(plan.start()).anyMatch(s -> s.sql().contains("CREATE TRIGGER touch"));
        assertThat(db.query("SELECT n FROM \"" + h.schema() + "\".items")).containsExactly(List.of("1"));
    }

    @Test
    void aMigrationInProgressIsRefusedAsStartWouldRefuseIt(TestDatabase db) {
        var h = MigrationHarness.create(db);
        h.start("01_users", CREATE_USERS);

        assertThatThrownBy(() -> h.pgroll().plan(MigrationHarness.migration("02_reshape", RESHAPE_USERS)))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("migration \"01_users\" is in progress")
                .extracting(e -> ((PgrollException) e).kind())
                .isEqualTo(PgrollException.ErrorKind.WRONG_STATE);
        assertThatThrownBy(() -> h.pgroll().plan(MigrationHarness.migration("01_users", CREATE_USERS)))
                .hasMessageContaining("in progress");
    }

    private static List<List<String>> schemas(TestDatabase db) {
        return db.query("SELECT nspname, obj_description(oid, 'pg_namespace') FROM pg_namespace ORDER BY 1");
    }

    /** The step of the plan's start that runs the {@code sql} operation at {@code operation}. */
    private static Step userStep(Plan plan, int operation) {
        return plan.start().stream()
                .filter(s -> s.operation() == operation && s.sql().startsWith("ALTER TABLE items"))
                .findFirst()
                .orElseThrow();
    }
}
