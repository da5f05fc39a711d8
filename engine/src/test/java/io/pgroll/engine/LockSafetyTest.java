package io.pgroll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** DDL never queues for long in front of the application's traffic, nor holds a lock while it works. */
@ExtendWith(PostgresExtension.class)
class LockSafetyTest {
    private static final String CREATE =
            "operations:\n  - create_table: {name: items, columns: [{name: id, type: serial, pk: true}, {name: v, type: int}]}\n";
    private static final String ADD =
            "operations:\n  - add_column: {table: items, up: v + 1, column: {name: w, type: int, nullable: true}}\n";

    private static Pgroll engine(TestDatabase db, String schema, List<String> lockWaits, Duration retryBudget) {
        return Pgroll.configure()
                .dataSource(db.dataSource())
                .schema(schema)
                .lockTimeout(Duration.ofMillis(100))
                .lockRetryBudget(retryBudget)
                .listener(new MigrationListener() {
                    @Override
                    public void lockWait(String statement, int attempt, Duration nextDelay) {
                        lockWaits.add(statement);
                    }
                })
                .load();
    }

    @Test
    void aStatementThatKeepsTimingOutNamesWhoHoldsTheLockAndGivesUpWithNothingApplied(TestDatabase db)
            throws Exception {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        String before = h.fingerprint();
        List<String> holders = new CopyOnWriteArrayList<>();
        Pgroll pgroll = Pgroll.configure()
                .dataSource(db.dataSource())
                .schema(h.schema())
                .lockTimeout(Duration.ofMillis(100))
                .lockRetryBudget(Duration.ofSeconds(2))
                .listener(new MigrationListener() {
                    @Override
                    public void lockHolders(String statement, List<String> sessions) {
                        holders.addAll(sessions);
                    }
                })
                .load();
        try (Connection blocker = h.pinned(h.schema());
                Statement block = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            String pid = io.pgroll.testing.Rows.value(blocker, "SELECT pg_backend_pid()");
            block.execute("SELECT count(*) FROM items /* the report names me */");
            assertThatThrownBy(() -> pgroll.start(MigrationHarness.migration("02_add", ADD)))
                    .isInstanceOf(PgrollException.class)
                    .hasMessageContaining("gave up after")
                    .hasMessageContaining("held by pid " + pid + " (idle in transaction")
                    .hasMessageContaining("locks on items")
                    .hasMessageContaining("the report names me")
                    .hasMessageContaining("nothing of this statement was applied");
            assertThat(holders).isNotEmpty().allMatch(s -> s.startsWith("pid " + pid + " "));
            blocker.rollback();
        }
        assertThat(h.fingerprint()).isEqualTo(before);
    }

    @Test
    void aMigrationBehindALongTransactionRetriesWhileWritesKeepFlowing(TestDatabase db) throws Exception {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.sql("INSERT INTO items (v) SELECT g FROM generate_series(1, 100) g");
        List<String> lockWaits = new CopyOnWriteArrayList<>();
        Pgroll pgroll = engine(db, h.schema(), lockWaits, Duration.ofMinutes(1));

        try (Connection blocker = h.pinned(h.schema());
                Connection writer = h.pinned(h.schema());
                Statement block = blocker.createStatement();
                Statement write = writer.createStatement()) {
            blocker.setAutoCommit(false);
            block.execute("SELECT count(*) FROM items"); // ACCESS SHARE, held until commit
            // A write that queued behind an ACCESS EXCLUSIVE request would wait for the blocker: 2 s is far
            // more than the 100 ms lock timeout, and far less than the blocker's 4 s.
            write.execute("SET statement_timeout = '2s'");
            CompletableFuture<StartResult> start =
                    CompletableFuture.supplyAsync(() -> pgroll.start(MigrationHarness.migration("02_add", ADD)));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            int writes = 0;
            while (System.nanoTime() < until) {
                write.execute("INSERT INTO items (v) VALUES (1)");
                writes++;
                Thread.sleep(20);
            }
            assertThat(start).as("the migration waits for the blocker").isNotDone();
            blocker.commit();
            assertThat(start.get(60, TimeUnit.SECONDS).alreadyApplied()).isFalse();
            assertThat(writes).isGreaterThan(10);
        }
        assertThat(lockWaits).as("lock waits reported").isNotEmpty().allMatch(s -> s.startsWith("ALTER TABLE"));
        assertThat(db.queryValue(
                        "SELECT count(*) FROM " + h.schema() + ".items WHERE _pgroll_new_w IS DISTINCT FROM v + 1"))
                .isEqualTo("0");
    }

    @Test
    void aBackfillBatchThatMeetsALockedRowGivesUpItsRowsAndRetries(TestDatabase db) throws Exception {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.sql("INSERT INTO items (v) SELECT g FROM generate_series(1, 100) g");
        List<String> lockWaits = new CopyOnWriteArrayList<>();
        AtomicBoolean locked = new AtomicBoolean();
        try (Connection blocker = h.pinned(h.schema());
                Connection writer = h.pinned(h.schema());
                Statement write = writer.createStatement()) {
            blocker.setAutoCommit(false);
            Pgroll pgroll = Pgroll.configure()
                    .dataSource(db.dataSource())
                    .schema(h.schema())
                    .lockTimeout(Duration.ofMillis(100))
                    .backfillBatchSize(10)
                    .listener(new MigrationListener() {
                        @Override
                        public void lockWait(String statement, int attempt, Duration nextDelay) {
                            lockWaits.add(statement);
                        }

                        @Override
                        public void backfill(BackfillProgress progress) {
                            // after the first batch: a long transaction takes a row of a later batch
                            if (locked.compareAndSet(false, true)) {
                                try (Statement block = blocker.createStatement()) {
                                    block.execute("UPDATE items SET v = v WHERE id = 50");
                                } catch (SQLException e) {
                                    throw new IllegalStateException(e);
                                }
                            }
                        }
                    })
                    .load();
            CompletableFuture<StartResult> start =
                    CompletableFuture.supplyAsync(() -> pgroll.start(MigrationHarness.migration("02_add", ADD)));
            // A row of the batch that waits for id 50: were that wait unbounded, this write would wait behind it.
            write.execute("SET statement_timeout = '2s'");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            int writes = 0;
            while (System.nanoTime() < until) {
                if (locked.get()) {
                    write.execute("UPDATE items SET v = v WHERE id = 45");
                    writes++;
                }
                Thread.sleep(20);
            }
            assertThat(start).as("the backfill waits for the row").isNotDone();
            blocker.commit();
            assertThat(start.get(60, TimeUnit.SECONDS).alreadyApplied()).isFalse();
            assertThat(writes).isGreaterThan(10);
        }
        assertThat(lockWaits).as("lock waits reported").contains("backfill batch of items");
        assertThat(db.queryValue(
                        "SELECT count(*) FROM " + h.schema() + ".items WHERE _pgroll_new_w IS DISTINCT FROM v + 1"))
                .isEqualTo("0");
    }

    @Test
    void whenTheRetryBudgetRunsOutNothingIsApplied(TestDatabase db) throws Exception {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        String before = h.fingerprint();
        List<String> lockWaits = new CopyOnWriteArrayList<>();
        Pgroll pgroll = engine(db, h.schema(), lockWaits, Duration.ofMillis(400));
        try (Connection blocker = h.pinned(h.schema());
                Statement block = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            block.execute("SELECT count(*) FROM items");
            assertThatThrownBy(() -> pgroll.start(MigrationHarness.migration("02_add", ADD)))
                    .isInstanceOf(PgrollException.class)
                    .hasMessageContaining("operation 1 (add_column")
                    .hasMessageContaining("55P03")
                    .hasMessageContaining("nothing was changed")
                    .satisfies(e -> assertThat(((PgrollException) e).sqlState()).isEqualTo("55P03"));
            blocker.commit();
        }
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(h.pgroll().status().version()).isEqualTo("01_create");
        assertThat(lockWaits).isNotEmpty();
    }

    @Test
    void aFailedConcurrentUniqueIndexBuildLeavesNoInvalidIndex(TestDatabase db) throws SQLException {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.sql("INSERT INTO items (v) VALUES (1), (1)");
        String before = h.fingerprint();
        assertThatThrownBy(
                        () -> h.start(
                                "02_unique",
                                "operations:\n  - create_index: {name: items_v_unique, table: items, unique: true, columns: [{column: v}]}\n"))
                .hasMessageContaining("operation 1 (create_index")
                .hasMessageContaining("23505");
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(db.queryValue("SELECT count(*) FROM pg_index WHERE NOT indisvalid"))
                .isEqualTo("0");
    }
}
