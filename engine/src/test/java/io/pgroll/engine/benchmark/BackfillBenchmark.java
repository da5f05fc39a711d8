package io.pgroll.engine.benchmark;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.Pgroll;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How fast a backfill fills a new NOT NULL column, and what the triggers that keep both versions in
 * step cost a bulk write, each against a baseline measured in the same run on a fresh copy of the same
 * table: medians of interleaved rounds. Prints figures; asserts nothing about time. Run with {@code mvn
 * -pl test-support,engine verify -Pbenchmark -Dtest=BackfillBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbenchmark.rows=N}, {@code -Dbenchmark.rounds=N}).
 */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class BackfillBenchmark {
    private static final int ROWS = Integer.getInteger("benchmark.rows", 1_000_000);
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
    private static final String LABEL = "kind || '-' || amount";
    private static final String ADD_LABEL = "operations:\n  - add_column: {table: events, up: \"" + LABEL
            + "\", column: {name: label, type: text, nullable: false}}\n";

    @Test
    void backfillAgainstOneUpdateOfEveryRow(TestDatabase db) throws SQLException {
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            MigrationHarness ceiling = freshTable(db);
            ceiling.sql("ALTER TABLE events ADD COLUMN label text");
            seconds.computeIfAbsent("one UPDATE of every row computing the value (the ceiling)", k -> new ArrayList<>())
                    .add(timed(() -> ceiling.sql("UPDATE events SET label = " + LABEL)));
            drop(ceiling);
            backfill(db, "backfill, batches sized to 100 ms (the default)", UnaryOperator.identity(), seconds);
            backfill(
                    db,
                    "backfill, batches sized to 300 ms",
                    b -> b.backfillBatchTime(java.time.Duration.ofMillis(300)),
                    seconds);
            backfill(db, "backfill, batches of 1000 rows (pgroll's default)", b -> b.backfillBatchSize(1000), seconds);
        }
        print(db, seconds, true);
    }

    @Test
    void triggersAgainstNoneAndAMinimalOne(TestDatabase db) throws SQLException {
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        String update = "UPDATE events SET amount = amount";
        for (int round = 0; round < ROUNDS; round++) {
            MigrationHarness none = freshTable(db);
            none.sql("ALTER TABLE events ADD COLUMN label text");
            seconds.computeIfAbsent("bulk UPDATE, no trigger", k -> new ArrayList<>())
                    .add(timed(() -> none.sql(update)));
            drop(none);

            MigrationHarness minimal = freshTable(db);
            minimal.sql(
                    "ALTER TABLE events ADD COLUMN label text",
                    "CREATE FUNCTION fill_label() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.label := NEW.kind"
                            + " || '-' || NEW.amount; RETURN NEW; END $$",
                    "CREATE TRIGGER fill_label BEFORE INSERT OR UPDATE ON events FOR EACH ROW"
                            + " EXECUTE FUNCTION fill_label()");
            seconds.computeIfAbsent("bulk UPDATE, the smallest plpgsql trigger", k -> new ArrayList<>())
                    .add(timed(() -> minimal.sql(update)));
            drop(minimal);

            MigrationHarness ours = freshTable(db);
            ours.start("02_label", ADD_LABEL);
            try (Connection old = ours.version("01_events");
                    Statement st = old.createStatement()) {
                seconds.computeIfAbsent("bulk UPDATE through the old version, our trigger", k -> new ArrayList<>())
                        .add(timed(() -> st.executeUpdate(update)));
            }
            drop(ours);
        }
        print(db, seconds, false);
        double minimal = median(seconds.get("bulk UPDATE, the smallest plpgsql trigger"));
        double ours = median(seconds.get("bulk UPDATE through the old version, our trigger"));
        System.out.printf("BENCHMARK our trigger against the smallest one: %.2fx its time%n", ours / minimal);
    }

    private static void backfill(
            TestDatabase db, String what, UnaryOperator<Pgroll.Builder> settings, Map<String, List<Double>> seconds)
            throws SQLException {
        MigrationHarness h = freshTable(db);
        AtomicReference<MigrationListener.BackfillProgress> last = new AtomicReference<>();
        Pgroll pgroll = settings.apply(Pgroll.configure()
                        .dataSource(db.dataSource())
                        .schema(h.schema())
                        .listener(new MigrationListener() {
                            @Override
                            public void backfill(BackfillProgress progress) {
                                last.set(progress);
                            }
                        }))
                .load();
        double start = timed(() -> pgroll.start(MigrationHarness.migration("02_label", ADD_LABEL)));
        MigrationListener.BackfillProgress p = last.get();
        seconds.computeIfAbsent(what, k -> new ArrayList<>()).add(p.rowsDone() / p.rowsPerSecond());
        seconds.computeIfAbsent(what + ": whole start", k -> new ArrayList<>()).add(start);
        drop(h);
    }

    /** A new schema holding a freshly loaded, vacuumed table of ROWS rows. */
    private static MigrationHarness freshTable(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete(
                "01_events",
                "operations:\n  - create_table: {name: events, columns: [{name: id, type: bigint, pk: true}, "
                        + "{name: kind, type: text}, {name: amount, type: int}]}\n");
        h.sql(
                "INSERT INTO events SELECT g, 'kind' || (g % 10), g % 1000 FROM generate_series(1, " + ROWS + ") g",
                "VACUUM ANALYZE events",
                "CHECKPOINT");
        return h;
    }

    private static void drop(MigrationHarness h) {
        h.db().execute("DROP SCHEMA IF EXISTS " + h.schema() + " CASCADE");
    }

    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    private static double timed(Work work) throws SQLException {
        long t = System.nanoTime();
        work.run();
        return (System.nanoTime() - t) / 1e9;
    }

    /**
     * Each measurement's median, with its ratio to the first one's: of throughput (rows/s against the
     * baseline's) or of time.
     */
    private static void print(TestDatabase db, Map<String, List<Double>> seconds, boolean throughput) {
        double baseline = median(seconds.values().iterator().next());
        System.out.printf(
                "BENCHMARK %,d rows, PostgreSQL %s (shared_buffers %s, max_wal_size %s), %d cores, medians of %d"
                        + " rounds (each on a fresh table)%n",
                ROWS,
                db.queryValue("SHOW server_version"),
                db.queryValue("SHOW shared_buffers"),
                db.queryValue("SHOW max_wal_size"),
                Runtime.getRuntime().availableProcessors(),
                ROUNDS);
        seconds.forEach((what, values) -> {
            double median = median(values);
            System.out.printf(
                    "BENCHMARK %-72s %8.2f s %,10.0f rows/s  %.2fx %s  (rounds: %s)%n",
                    what,
                    median,
                    ROWS / median,
                    throughput ? baseline / median : median / baseline,
                    throughput ? "the first's rows/s" : "the first's time",
                    values.stream().map(v -> String.format("%.2f", v)).toList());
        });
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
