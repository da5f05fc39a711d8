package io.pgroll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.pgroll.testing.RestartablePostgres;
import io.pgroll.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An autovacuum in the way of start's ALTER TABLE. PostgreSQL cancels it for a lock waiter only after
 * {@code deadlock_timeout} (1 s), longer than the lock timeout (500 ms), so unless the engine lowers that
 * for itself it gives up, retries, and never gets past a long vacuum. The server is one of the test's
 * own: it runs autovacuum every second, and each table's vacuum is slowed to 100 ms per page.
 */
class AutovacuumTest {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final String ADD_NOTE =
            """
            operations:
              - add_column: {table: items, column: {name: note, type: text, nullable: true}}
            """;

    private static RestartablePostgres server;
    private static TestDatabase db;

    @BeforeAll
    static void startServer() {
        server = RestartablePostgres.start();
        db = server.database("autovacuum");
        db.execute("ALTER SYSTEM SET autovacuum_naptime = '1s'", "SELECT pg_reload_conf()");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSuperuserHasTheAutovacuumCancelledBeforeItsLockTimeout() {
        String schema = schemaWithItems(db.dataSource(), "postgres");
        Recorder recorder = new Recorder();

        engine(db.dataSource(), schema, b -> b.listener(recorder))
                .start(MigrationHarness.migration("02_note", ADD_NOTE));

        assertThat(recorder.lockWaits).as("start never timed out on its lock").isEmpty();
        assertThat(db.queryValue("SELECT count(*) FROM " + schema + ".items")).isEqualTo("25000");
    }

    @Test
    void aRoleGrantedSetOnDeadlockTimeoutDoesToo() {
        assumeThat(serverMajor())
                .as("GRANT SET ON PARAMETER came with PostgreSQL 15")
                .isGreaterThanOrEqualTo(15);
        String role = role();
        db.execute("GRANT SET ON PARAMETER deadlock_timeout TO " + role);
        String schema = schemaWithItems(db.dataSource(role, "owner"), role);
        Recorder recorder = new Recorder();

        engine(db.dataSource(role, "owner"), schema, b -> b.listener(recorder))
                .start(MigrationHarness.migration("02_note", ADD_NOTE));

        assertThat(recorder.lockWaits).as("start never timed out on its lock").isEmpty();
    }

    /**
     * The control: a role that may not lower it waits behind the autovacuum and gives up, changing
     * nothing; it cannot see the autovacuum until granted pg_read_all_stats, and then names it.
     */
    @Test
    void aRoleThatMayNotGivesUpChangingNothingAndNamesTheAutovacuumOnceItMaySeeIt() {
        String role = role();
        String schema = schemaWithItems(db.dataSource(role, "owner"), role);
        Recorder recorder = new Recorder();
        Pgroll pgroll = engine(
                db.dataSource(role, "owner"), schema, b -> b.listener(recorder).lockRetryBudget(Duration.ofSeconds(2)));

        assertThatThrownBy(() -> pgroll.start(MigrationHarness.migration("02_note", ADD_NOTE)))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("canceling statement due to lock timeout")
                .hasMessageContaining("held by 1 session(s) that role " + role + " may not see also hold locks on"
                        + " these tables (GRANT pg_read_all_stats TO " + role + " lets pgroll name them)")
                .hasMessageEndingWith("so nothing was changed.");
        assertThat(recorder.lockWaits)
                .as("start timed out on its lock and retried")
                .isNotEmpty();
        assertThat(db.queryValue("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + schema
                        + "' AND column_name LIKE '%note'"))
                .isEqualTo("0");
        assertThat(pgroll.status().state()).isEqualTo(Status.State.COMPLETE);

        db.execute("GRANT pg_read_all_stats TO " + role);
        assertThatThrownBy(() -> pgroll.start(MigrationHarness.migration("02_note", ADD_NOTE)))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("held by pid ")
                .hasMessageContaining(" (autovacuum worker, active, transaction open ")
                .hasMessageContaining("s, locks on items): autovacuum: VACUUM ");
    }

    /** A login role that may create schemas in the database, and nothing else. */
    private static String role() {
        String role = "autovacuum_owner_" + SCHEMAS.incrementAndGet();
        db.execute(
                "CREATE ROLE " + role + " LOGIN PASSWORD 'owner'",
                "GRANT CREATE ON DATABASE " + db.name() + " TO " + role);
        return role;
    }

    /**
     * A schema owned by {@code owner} with its table {@code items} made by a first migration, run by
     * {@code migrator}: 25,000 rows are left of 50,000, and an autovacuum is working through the dead
     * ones slowly when this returns.
     */
    private static String schemaWithItems(DataSource migrator, String owner) {
        String schema = "shop" + SCHEMAS.incrementAndGet();
        db.execute("CREATE SCHEMA " + schema + " AUTHORIZATION " + owner);
        Pgroll pgroll = engine(migrator, schema, UnaryOperator.identity());
        pgroll.init();
        pgroll.start(
                MigrationHarness.migration(
                        "01_items",
                        """
                        operations:
                          - create_table:
                              name: items
                              columns:
                                - {name: id, type: bigserial, pk: true}
                                - {name: price, type: int, nullable: true}
                        """),
                true);
        db.execute(
                "INSERT INTO " + schema + ".items (price) SELECT i FROM generate_series(1, 50000) i",
                "DELETE FROM " + schema + ".items WHERE id % 2 = 0",
                "ALTER TABLE " + schema + ".items SET (autovacuum_vacuum_threshold = 0,"
                        + " autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_cost_delay = 100,"
                        + " autovacuum_vacuum_cost_limit = 1)");
        awaitAutovacuum(schema);
        return schema;
    }

    private static void awaitAutovacuum(String schema) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String query = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
                + " AND query LIKE 'autovacuum: VACUUM %" + schema + ".items%'";
        while (!"1".equals(db.queryValue(query))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no autovacuum of " + schema + ".items began within 60 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static int serverMajor() {
        return Integer.parseInt(db.queryValue("SHOW server_version_num")) / 10000;
    }

    private static Pgroll engine(DataSource dataSource, String schema, UnaryOperator<Pgroll.Builder> more) {
        return more.apply(Pgroll.configure()
                        .dataSource(dataSource)
                        .schema(schema)
                        .stateSchema(schema + "_state")
                        .lockTimeout(Duration.ofMillis(500)))
                .load();
    }

    private static final class Recorder implements MigrationListener {
        final List<String> lockWaits = new CopyOnWriteArrayList<>();

        @Override
        public void lockWait(String statement, int attempt, Duration nextDelay) {
            lockWaits.add(statement);
        }
    }
}
