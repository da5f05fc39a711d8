package io.pgroll.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.engine.MigrationListener.BackfillProgress;
import io.pgroll.engine.MigrationListener.ReplicaWait;
import io.pgroll.engine.model.Migration;
import io.pgroll.testing.RestartablePostgres;
import io.pgroll.testing.Rows;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real streaming standby on loopback, made lag on demand by pausing its replay: a backfill bound to
 * the standby's lag holds its batches while the standby is behind and goes on once it has caught up, and
 * without a bound it does not wait, which shows the standby really was behind.
 */
class ReplicaLagTest {
    private static final int ROWS = 60_000;
    private static final long BOUND_BYTES = 256 * 1024;
    private static final Migration PRICE_NOT_NULL = MigrationHarness.migration(
            "02_price_not_null",
            """
            operations:
              - alter_column: {table: items, column: price, nullable: false, up: 'coalesce(price, 0)', down: price}
            """);

    private static RestartablePostgres primary;
    private static RestartablePostgres standby;
    private static TestDatabase db;

    @BeforeAll
    static void startPrimaryAndStandby() throws Exception {
        primary = RestartablePostgres.start();
        db = primary.database("replica_lag");
        standby = primary.startStandby();
        engine(UnaryOperator.identity()).init();
        engine(UnaryOperator.identity())
                .start(
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
        db.execute("INSERT INTO items (price) SELECT CASE WHEN i % 3 = 0 THEN NULL ELSE i END"
                + " FROM generate_series(1, " + ROWS + ") i");
        awaitOnStandby("SELECT count(*) = " + ROWS + " FROM public.items");
    }

    @AfterAll
    static void stopServers() {
        if (standby != null) {
            standby.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    /** Each test begins with the standby caught up, whatever the test before left it to replay. */
    @AfterEach
    void resumeReplayAndRollBack() throws Exception {
        onStandby("SELECT pg_wal_replay_resume()");
        if (engine(UnaryOperator.identity()).status().state() == Status.State.IN_PROGRESS) {
            engine(UnaryOperator.identity()).rollback();
        }
        await(() -> bytesBehind() == 0, "the standby to catch up");
    }

    @Test
    void aBackfillHoldsItsBatchesWhileAStandbyIsBehindTheBoundAndGoesOnWhenItCatchesUp() throws Exception {
        Recorder recorder = new Recorder();
        onStandby("SELECT pg_wal_replay_pause()");
        CompletableFuture<StartResult> start = CompletableFuture.supplyAsync(
                () -> engine(b -> b.backfillMaxReplicaLagBytes(BOUND_BYTES).listener(recorder))
                        .start(PRICE_NOT_NULL));

        await(() -> !recorder.waits.isEmpty() || start.isDone(), "the backfill to wait for the standby");
        assertThat(start).as("start while the standby's replay is paused").isNotDone();
        ReplicaWait first = recorder.waits.get(0);
        assertThat(first.table()).isEqualTo("items");
        assertThat(first.behind()).singleElement().satisfies(lag -> {
            assertThat(lag.standby()).startsWith(standby.standbyName());
            assertThat(lag.bytes()).isGreaterThan(BOUND_BYTES);
        });
        int batchesWhenHeld = recorder.batches.size();
        long rowsWhenHeld = recorder.batches.get(batchesWhenHeld - 1).rowsDone();
        assertThat(rowsWhenHeld)
                .as("rows backfilled before the standby fell behind")
                .isLessThan(ROWS);

        Thread.sleep(2000);
        assertThat(recorder.batches)
                .as("batches run while the standby stayed behind")
                .hasSize(batchesWhenHeld);
        assertThat(start).isNotDone();

        onStandby("SELECT pg_wal_replay_resume()");
        start.get(120, TimeUnit.SECONDS);
        BackfillProgress last = recorder.batches.get(recorder.batches.size() - 1);
        assertThat(last.finished()).isTrue();
        assertThat(last.rowsDone()).isEqualTo(ROWS);
        List<ReplicaWait> ended =
                recorder.waits.stream().filter(ReplicaWait::ended).toList();
        assertThat(ended).as("waits that ended").isNotEmpty();
        assertThat(ended.get(0).waited()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(recorder.waits.stream().filter(w -> !w.ended()).count())
                .as("waits begun, each ended")
                .isEqualTo(ended.size());

        // the standby replays the whole backfill: the new version reads there as on the primary
        awaitOnStandby("SELECT count(*) = " + ROWS + " FROM public_02_price_not_null.items WHERE price IS NOT NULL");
    }

    /**
     * A bound in time holds the backfill too: while replay is paused, the primary sees the standby's
     * replay lag grow (it interpolates between the positions it has sent), past the bound.
     */
    @Test
    void aBoundInTimeHoldsTheBackfillToo() throws Exception {
        Recorder recorder = new Recorder();
        onStandby("SELECT pg_wal_replay_pause()");
        Duration bound = Duration.ofMillis(500);
        CompletableFuture<StartResult> start =
                CompletableFuture.supplyAsync(() -> engine(b -> b.backfillMaxReplicaLag(bound)
                                .backfillBatchDelay(Duration.ofMillis(20))
                                .listener(recorder))
                        .start(PRICE_NOT_NULL));

        await(() -> !recorder.waits.isEmpty() || start.isDone(), "the backfill to wait for the standby");
        assertThat(start).as("start while the standby's replay is paused").isNotDone();
        assertThat(recorder.waits.get(0).behind()).singleElement().satisfies(lag -> assertThat(lag.replayLag())
                .isGreaterThan(bound));

        onStandby("SELECT pg_wal_replay_resume()");
        start.get(120, TimeUnit.SECONDS);
        assertThat(recorder.batches.get(recorder.batches.size() - 1).rowsDone()).isEqualTo(ROWS);
    }

    @Test
    void withoutABoundTheBackfillDoesNotWaitForAStandbyFarBehind() throws Exception {
        Recorder recorder = new Recorder();
        onStandby("SELECT pg_wal_replay_pause()");
        engine(b -> b.listener(recorder)).start(PRICE_NOT_NULL);

        assertThat(recorder.waits).isEmpty();
        assertThat(bytesBehind()).as("bytes the standby has to replay").isGreaterThan(BOUND_BYTES);
    }

    private static long bytesBehind() {
        try (Connection c = primary.connect("postgres")) {
            return Long.parseLong(Rows.value(
                    c,
                    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication"
                            + " WHERE application_name = '" + standby.standbyName() + "'"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Pgroll engine(UnaryOperator<Pgroll.Builder> more) {
        return more.apply(Pgroll.configure().dataSource(db.dataSource()).backfillBatchSize(500))
                .load();
    }

    private static void onStandby(String sql) throws SQLException {
        try (Connection c = standby.connect(db.name())) {
            Rows.exec(c, sql);
        }
    }

    private static void awaitOnStandby(String condition) {
        await(
                () -> {
                    try (Connection c = standby.connect(db.name())) {
                        return "t".equals(Rows.value(c, condition));
                    } catch (SQLException e) {
                        return false; // the relation may not have reached the standby yet
                    }
                },
                "the standby to show " + condition);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** What the engine reports, from its thread, to be read from the test's. */
    private static final class Recorder implements MigrationListener {
        final List<ReplicaWait> waits = new CopyOnWriteArrayList<>();
        final List<BackfillProgress> batches = new CopyOnWriteArrayList<>();

        @Override
        public void replicaWait(ReplicaWait wait) {
            waits.add(wait);
        }

        @Override
        public void backfill(BackfillProgress progress) {
            batches.add(progress);
        }
    }
}
