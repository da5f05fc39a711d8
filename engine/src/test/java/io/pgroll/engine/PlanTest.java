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

        Plan plan = h.pgroll().plan(MigrationHarness.migration("02_reshape", RESHAPE_USERS));

        assertThat(h.fingerprint()).as("the database after plan").isEqualTo(before);
        assertThat(h.pgroll().history()).isEqualTo(history);
        assertThat(db.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE '\\_pgroll\\_plan%'"))
                .isEmpty();
        assertThat(plan.serverMajor()).isGreaterThanOrEqualTo(14);
        assertThat(plan.notCopied()).isEmpty();

        List<String> started = captured(h, () -> h.start("02_reshape", RESHAPE_USERS));
        List<String> rolledBack = captured(h, () -> h.pgroll().rollback());
        h.start("02_reshape", RESHAPE_USERS);
        List<String> completed = captured(h, () -> h.pgroll().complete());

        assertThat(ddl(plan.start(), h)).isNotEmpty().isEqualTo(started);
        assertThat(ddl(plan.rollback(), h)).isNotEmpty().isEqualTo(rolledBack);
        assertThat(ddl(plan.complete(), h)).isNotEmpty().isEqualTo(completed);
        // complete retires the version before
        assertThat(ddl(plan.complete(), h)).anyMatch(s -> s.startsWith("DROP SCHEMA") && s.contains("_01_users"));

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
        assertThat(plan.notices()).noneMatch(n -> n.contains("_pgroll_plan"));
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

        assertThatThrownBy(() -> h.pgroll()
                        .plan(MigrationHarness.migration(
                                "02_bad", "operations:\n  - sql: {up: 'ALTER TABLE items ADD COLUMN n int'}\n")))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("plan: the rehearsal failed")
                .hasMessageContaining("column \"n\" of relation \"items\" already exists")
                .hasMessageNotContaining("_pgroll_plan");
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(db.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE '\\_pgroll\\_plan%'"))
                .isEmpty();
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

    /** The step of the plan's start that runs the {@code sql} operation at {@code operation}. */
    private static Step userStep(Plan plan, int operation) {
        return plan.start().stream()
                .filter(s -> s.operation() == operation && s.sql().startsWith("ALTER TABLE items"))
                .findFirst()
                .orElseThrow();
    }

    /** The plan's DDL statements that name the harness's schema, as the event trigger records them. */
    private static List<String> ddl(List<Step> steps, MigrationHarness h) {
        return steps.stream()
                .filter(s -> s.kind() != Kind.BACKFILL)
                .map(Step::sql)
                .filter(sql -> isDdl(sql) && sql.contains(h.schema()))
                .toList();
    }

    private static boolean isDdl(String sql) {
        String first = sql.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        return List.of("CREATE", "ALTER", "DROP", "COMMENT", "GRANT", "REVOKE").contains(first);
    }

    /** The DDL statements naming the harness's schema that the server ran while {@code work} ran. */
    private static List<String> captured(MigrationHarness h, Runnable work) {
        String log = h.schema() + "_ddl_log";
        h.db().execute("CREATE SCHEMA " + log);
        h.db().execute("CREATE TABLE " + log + ".statements (n bigserial, sql text)");
        h.db().execute("CREATE FUNCTION " + log + ".capture() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " INSERT INTO " + log + ".statements (sql) VALUES (current_query()); END $$");
        h.db().execute("CREATE EVENT TRIGGER " + log + " ON ddl_command_end EXECUTE FUNCTION " + log + ".capture()");
        try {
            work.run();
            return h.db().query("SELECT sql FROM " + log + ".statements ORDER BY n").stream()
                    .map(r -> r.get(0))
                    .filter(sql -> isDdl(sql) && sql.contains(h.schema()) && !sql.contains(log))
                    .toList();
        } finally {
            h.db().execute("DROP EVENT TRIGGER " + log);
            h.db().execute("DROP SCHEMA " + log + " CASCADE");
        }
    }
}
