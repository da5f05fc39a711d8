package io.pgroll.engine.benchmark;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.Pgroll;
import io.pgroll.testing.RestartablePostgres;
import io.pgroll.testing.Rows;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How far a streaming standby on loopback falls behind a backfill, with and without a bound on its
 * lag, and what the bound costs the backfill: peak WAL left to replay and peak replay lag, sampled
 * every 20 ms from the primary's {@code pg_stat_replication}, and the time of start. Once with the
 * standby replaying freely, once with a standby that replays only a third of the time (its replay
 * paused 200 ms of every 300, as a standby busy with its own readers might be). Prints figures; asserts
 * nothing about time. Run with {@code mvn -pl test-support,engine verify -Pbenchmark
 * -Dtest=ReplicaLagBenchmark -Dsurefire.failIfNoSpecifiedTests=false} ({@code -Dbenchmark.rows=N}).
 */
@Tag("benchmark")
class ReplicaLagBenchmark {
    private static final int ROWS = Integer.getInteger("benchmark.rows", 1_000_000);
    private static final long BOUND = 16L << 20;
    private static final String ADD_LABEL =
            "operations:\n  - add_column: {table: events, up: \"kind || '-' || amount\","
                    + " column: {name: label, type: text, nullable: false}}\n";

    @Test
    void standbyLagWithAndWithoutABound() throws Exception {
        try (RestartablePostgres primary = RestartablePostgres.start();
                RestartablePostgres standby = primary.startStandby()) {
            TestDatabase db = primary.database("replica_lag_benchmark");
            StringBuilder table = new StringBuilder(String.format(
                    Locale.ROOT,
                    "%nReplica lag during a backfill of %,d rows (durable server settings, standby on loopback,"
                            + " bound %d MB of WAL)%n%-58s %9s %10s %14s %16s %12s%n",
                    ROWS,
                    BOUND >> 20,
                    "",
                    "start s",
                    "rows/s",
                    "peak WAL MB",
                    "peak replay ms",
                    "held s"));
            for (boolean slowStandby : List.of(false, true)) {
                for (boolean bounded : List.of(false, true)) {
                    String label = (slowStandby ? "standby replaying a third of the time" : "standby replaying freely")
                            + (bounded ? ", bound" : ", no bound");
                    table.append(run(db, primary, standby, label, slowStandby, bounded));
                }
            }
            System.out.println(table);
        }
    }

    private static String run(
            TestDatabase db,
            RestartablePostgres primary,
            RestartablePostgres standby,
            String label,
            boolean slowStandby,
            boolean bounded)
            throws Exception {
        db.execute(
                "DROP SCHEMA IF EXISTS bench CASCADE",
                "DROP SCHEMA IF EXISTS bench_state CASCADE",
                "CREATE SCHEMA bench",
                "CREATE TABLE bench.events (id bigserial PRIMARY KEY, kind text NOT NULL, amount int NOT NULL)",
                "INSERT INTO bench.events (kind, amount) SELECT 'k' || (i % 50), i % 1000 FROM generate_series(1, "
                        + ROWS + ") i",
                "VACUUM ANALYZE bench.events");
        awaitCaughtUp(primary, standby);
        AtomicLong heldNanos = new AtomicLong();
        MigrationListener listener = new MigrationListener() {
            @Override
            public void replicaWait(ReplicaWait wait) {
                if (wait.ended()) {
                    heldNanos.addAndGet(wait.waited().toNanos());
                }
            }
        };
        UnaryOperator<Pgroll.Builder> bound = b -> bounded ? b.backfillMaxReplicaLagBytes(BOUND) : b;
        Pgroll pgroll = bound.apply(Pgroll.configure()
                        .dataSource(db.dataSource())
                        .schema("bench")
                        .stateSchema("bench_state")
                        .listener(listener))
                .load();
        pgroll.init();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong peakBytes = new AtomicLong();
        AtomicLong peakReplayMillis = new AtomicLong();
        Thread sampler = new Thread(() -> sample(primary, standby, running, peakBytes, peakReplayMillis));
        sampler.start();
        Thread throttle = slowStandby ? new Thread(() -> replayAThirdOfTheTime(db, standby, running)) : null;
        if (throttle != null) {
            throttle.start();
        }
        long began = System.nanoTime();
        try {
            pgroll.start(MigrationHarness.migration("02_label", ADD_LABEL));
        } finally {
            running.set(false);
            sampler.join();
            if (throttle != null) {
                throttle.join();
            }
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        pgroll.rollback();
        awaitCaughtUp(primary, standby);
        return String.format(
                Locale.ROOT,
                "%-58s %9.1f %,10.0f %14.1f %,16d %12.1f%n",
                label,
                seconds,
                ROWS / seconds,
                peakBytes.get() / (double) (1 << 20),
                peakReplayMillis.get(),
                heldNanos.get() / 1e9);
    }

    private static void sample(
            RestartablePostgres primary,
            RestartablePostgres standby,
            AtomicBoolean running,
            AtomicLong peakBytes,
            AtomicLong peakReplayMillis) {
        try (Connection c = primary.connect("postgres")) {
            while (running.get()) {
                List<String> row = Rows.rows(
                                c,
                                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint,"
                                        + " coalesce(extract(epoch FROM replay_lag) * 1000, 0)::bigint"
                                        + " FROM pg_stat_replication WHERE application_name = '"
                                        + standby.standbyName() + "'")
                        .get(0);
                peakBytes.accumulateAndGet(Long.parseLong(row.get(0)), Math::max);
                peakReplayMillis.accumulateAndGet(Long.parseLong(row.get(1)), Math::max);
                Thread.sleep(20);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void replayAThirdOfTheTime(TestDatabase db, RestartablePostgres standby, AtomicBoolean running) {
        try (Connection c = standby.connect(db.name())) {
            while (running.get()) {
                Rows.exec(c, "SELECT pg_wal_replay_pause()");
                Thread.sleep(200);
                Rows.exec(c, "SELECT pg_wal_replay_resume()");
                Thread.sleep(100);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitCaughtUp(RestartablePostgres primary, RestartablePostgres standby)
            throws SQLException, InterruptedException {
        try (Connection c = primary.connect("postgres")) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (!"0"
                    .equals(Rows.value(
                            c,
                            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint FROM pg_stat_replication"
                                    + " WHERE application_name = '" + standby.standbyName() + "'"))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the standby did not catch up in 10 minutes");
                }
                Thread.sleep(100);
            }
        }
    }
}
