package io.pgroll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.Rows;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class StateAndConcurrencyTest {
    private static final String CREATE =
            """
            operations:
              - create_table:
                  name: items
                  columns:
                    - {name: id, type: serial, pk: true}
            """;

    @Test
    void initIsIdempotentAndKeepsPgrollsShape(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.pgroll().init();
        h.pgroll().init();
        assertThat(db.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
                        + "'pgroll' AND table_name = 'migrations' ORDER BY ordinal_position"))
                .extracting(r -> r.get(0))
                .containsExactly(
                        "schema",
                        "name",
                        "migration",
                        "created_at",
                        "updated_at",
                        "parent",
                        "done",
                        "resulting_schema",
                        "migration_type");
        assertThat(db.queryValue("SELECT count(*) FROM pgroll.pgroll_version")).isEqualTo("1");
        assertThat(h.pgroll().status()).isEqualTo(new Status(h.schema(), "", Status.State.NO_MIGRATIONS));
    }

    @Test
    void historyFunctionsFollowTheChain(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.start(
                "02_more",
                "operations:\n  - add_column: {table: items, column: {name: n, type: int, nullable: true}}\n");
        String s = "'" + h.schema() + "'";
        assertThat(db.queryValue("SELECT pgroll.latest_version(" + s + ")")).isEqualTo("02_more");
        assertThat(db.queryValue("SELECT pgroll.previous_version(" + s + ")")).isEqualTo("01_create");
        assertThat(db.queryValue("SELECT pgroll.latest_migration(" + s + ")")).isEqualTo("02_more");
        assertThat(db.queryValue("SELECT pgroll.previous_migration(" + s + ")")).isEqualTo("01_create");
        assertThat(db.queryValue("SELECT pgroll.is_active_migration_period(" + s + ")"))
                .isEqualTo("t");
        assertThat(db.queryValue("SELECT parent FROM pgroll.migrations WHERE name = '02_more' AND schema = " + s))
                .isEqualTo("01_create");
        assertThat(db.queryValue("SELECT resulting_schema -> 'tables' -> 'items' ->> 'name' FROM pgroll.migrations "
                        + "WHERE name = '01_create' AND schema = " + s))
                .isEqualTo("items");
        assertThat(h.pgroll().history()).extracting(MigrationInfo::name).containsExactly("01_create", "02_more");
    }

    @Test
    void restartingTheSameMigrationIsANoOpAndDifferentContentIsRefused(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        assertThat(h.start("01_create", CREATE).alreadyApplied()).isFalse();
        assertThat(h.start("01_create", CREATE).alreadyApplied()).isTrue();
        assertThatThrownBy(() -> h.start(
                        "01_create",
                        "operations:\n  - create_table: {name: other, columns: [{name: id, type: int}]}\n"))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("already in progress")
                .hasMessageContaining("different content");
        assertThatThrownBy(() -> h.start(
                        "02_next", "operations:\n  - create_table: {name: other, columns: [{name: id, type: int}]}\n"))
                .hasMessageContaining("\"01_create\" is still in progress");
        h.pgroll().complete();
        assertThat(h.start("01_create", CREATE).alreadyApplied()).isTrue();
        assertThatThrownBy(() -> h.pgroll().complete())
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("no migration in progress");
        assertThatThrownBy(() -> h.pgroll().rollback()).hasMessageContaining("no migration in progress");
    }

    @Test
    void aCompleteThatFailedHalfWayIsFinishedByRunningItAgainNeverRolledBack(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.start("02_rename", "operations:\n  - rename_table: {from: items, to: goods}\n");
        h.sql("CREATE TABLE goods (id int)"); // made outside the tool: complete's rename will collide with it
        assertThatThrownBy(() -> h.pgroll().complete()).hasMessageContaining("table \"goods\" was created");
        Pgroll accepting = h.configure().acceptOutsideDdl(true).load();
        assertThatThrownBy(accepting::complete)
                .hasMessageContaining("operation 1 (rename_table")
                .hasMessageContaining("run `pgroll complete` again");
        assertThat(h.schemas()).as("the previous version is gone already").containsExactly(h.schema() + "_02_rename");
        assertThatThrownBy(() -> h.pgroll().rollback())
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("cannot be rolled back")
                .hasMessageContaining("pgroll complete");
        h.sql("DROP TABLE goods");
        assertThat(h.pgroll().complete()).isEqualTo("02_rename");
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.COMPLETE);
        assertThat(db.queryValue("SELECT count(*) FROM pgroll.phases WHERE schema = '" + h.schema() + "'"))
                .isEqualTo("0");
    }

    @Test
    void aReRunCompleteDoesNotRunRawSqlAgain(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.start(
                "02_two",
                """
                operations:
                  - sql: {up: ALTER TABLE items ADD COLUMN note text, onComplete: true}
                  - rename_table: {from: items, to: goods}
                """);
        h.sql("CREATE TABLE goods (id int)");
        assertThatThrownBy(() -> h.configure().acceptOutsideDdl(true).load().complete())
                .hasMessageContaining("operation 2 (rename_table");
        h.sql("DROP TABLE goods");
        h.pgroll().complete(); // ADD COLUMN note again would fail: it must not run twice
        assertThat(db.queryValue("SELECT count(*) FROM pg_attribute WHERE attrelid = '" + h.schema()
                        + ".goods'::regclass AND attname = 'note'"))
                .isEqualTo("1");
    }

    @Test
    void anInterruptedStartCannotBeCompletedOnlyRolledBackAndStartedAgain(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        String before = h.fingerprint();
        String yaml = "operations:\n  - add_column: {table: items, up: id * 2, column: {name: twice, type: int, "
                + "nullable: false}}\n";
        // what a start killed during its backfill leaves: the history row and a half-filled copy column
        db.execute(
                "INSERT INTO pgroll.migrations (schema, name, migration, parent, migration_type) VALUES ('" + h.schema()
                        + "', '02_twice', '"
                        + io.pgroll.engine.model.MigrationReader.toJson(MigrationHarness.migration("02_twice", yaml))
                        + "', '01_create', 'pgroll')",
                "ALTER TABLE " + h.schema() + ".items ADD COLUMN _pgroll_new_twice int");
        assertThatThrownBy(() -> h.pgroll().complete())
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("was interrupted before it finished")
                .hasMessageContaining("pgroll rollback");
        assertThatThrownBy(() -> h.start("02_twice", yaml)).hasMessageContaining("was interrupted");
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);
        h.start("02_twice", yaml);
        h.pgroll().complete();
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.COMPLETE);
    }

    @Test
    void concurrentStartsAreSerialisedAndTheLosersFindTheWorkDone(TestDatabase db) throws Exception {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.sql("INSERT INTO items SELECT FROM generate_series(1, 2000)");
        String add =
                "operations:\n  - add_column: {table: items, up: id * 2, column: {name: twice, type: int, nullable: false}}\n";
        int replicas = 6;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<StartResult>> results = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return h.pgroll().start(MigrationHarness.migration("02_twice", add));
            }));
        }
        go.countDown();
        int applied = 0;
        for (Future<StartResult> result : results) {
            if (!result.get().alreadyApplied()) {
                applied++;
            }
        }
        pool.shutdown();
        assertThat(applied).isEqualTo(1);
        assertThat(db.queryValue("SELECT count(*) FROM pgroll.migrations WHERE schema = '" + h.schema() + "'"))
                .isEqualTo("2");
    }

    @Test
    void aMigratorThatWaitsTooLongNamesTheHolder(TestDatabase db) throws Exception {
        MigrationHarness h = MigrationHarness.create(db);
        Pgroll impatient = Pgroll.configure()
                .dataSource(db.dataSource())
                .schema(h.schema())
                .migratorWait(Duration.ofMillis(300))
                .load();
        try (Connection holder = db.connect();
                Statement st = holder.createStatement()) {
            st.execute("SET application_name = 'the other deploy'");
            st.execute("SELECT pg_advisory_lock(hashtext('pgroll:pgroll'), hashtext('" + h.schema() + "'))");
            assertThatThrownBy(() -> impatient.start(MigrationHarness.migration("01_create", CREATE)))
                    .isInstanceOf(PgrollException.class)
                    .hasMessageContaining("Another migrator is working on schema")
                    .hasMessageContaining("the other deploy")
                    .extracting(e -> ((PgrollException) e).kind())
                    .isEqualTo(PgrollException.ErrorKind.LOCKED);
        }
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.NO_MIGRATIONS);
    }

    @Test
    void anApplicationThatOwnsItsTablesKeepsItsRightsThroughTheViews(TestDatabase db) throws Exception {
        db.execute("CREATE ROLE owner_app LOGIN PASSWORD 'owner'", "CREATE SCHEMA owned AUTHORIZATION owner_app");
        MigrationHarness h = MigrationHarness.create(db, "owned"); // migrated by a superuser
        h.startAndComplete("01_create", CREATE);
        db.execute("ALTER TABLE owned.items OWNER TO owner_app");
        h.start(
                "02_label",
                "operations:\n  - add_column: {table: items, column: {name: label, type: text, nullable: true}}\n");
        try (Connection app = db.connect("owner_app", "owner");
                Statement st = app.createStatement()) {
            st.execute("SET search_path = owned_02_label");
            st.execute("INSERT INTO items (label) VALUES ('mine')");
            assertThat(Rows.rows(app, "SELECT label FROM items")).containsExactly(List.of("mine"));
        }
    }

    @Test
    void aRoleWithoutSuperuserRunsTheLifecycleAndAnAppRoleUsesTheNewVersion(TestDatabase db) throws Exception {
        db.execute(
                "CREATE ROLE migrator LOGIN PASSWORD 'migrator' CREATEROLE",
                "CREATE ROLE app LOGIN PASSWORD 'app'",
                "GRANT CREATE ON DATABASE " + db.name() + " TO migrator",
                "CREATE SCHEMA shop AUTHORIZATION migrator",
                "GRANT USAGE ON SCHEMA shop TO app");
        List<String> notices = new ArrayList<>();
        Pgroll pgroll = Pgroll.configure()
                .dataSource(db.dataSource("migrator", "migrator"))
                .schema("shop")
                .stateSchema("shop_state")
                .listener(new MigrationListener() {
                    @Override
                    public void notice(String message) {
                        notices.add(message);
                    }
                })
                .load();
        assertThat(pgroll.init()).isFalse();
        assertThat(notices).anyMatch(n -> n.contains("not a superuser"));
        pgroll.start(MigrationHarness.migration("01_create", CREATE), true);
        db.execute(
                "SET ROLE migrator; GRANT SELECT, INSERT ON shop.items TO app; GRANT USAGE ON SEQUENCE shop.items_id_seq TO app");
        pgroll.start(MigrationHarness.migration(
                "02_label",
                "operations:\n  - add_column: {table: items, column: {name: label, type: text, default: \"'x'\"}}\n"));
        try (Connection app = db.connect("app", "app");
                Statement st = app.createStatement()) {
            st.execute("SET search_path = shop_02_label");
            st.execute("INSERT INTO items (label) VALUES ('from app')");
            assertThat(Rows.rows(app, "SELECT label FROM items")).containsExactly(List.of("from app"));
        }
        pgroll.complete();
        assertThat(pgroll.status().state()).isEqualTo(Status.State.COMPLETE);
    }
}
