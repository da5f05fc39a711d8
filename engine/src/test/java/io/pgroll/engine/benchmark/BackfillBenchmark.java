package io.pgroll.engine.benchmark;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.Pgroll;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How fast a backfill fills a new NOT NULL column on a table of a million rows, against the ceiling
 * of one plain UPDATE of every row measured in the same run. Prints figures; asserts nothing about
 * time. Run with {@code mvn -pl test-support,engine verify -Pbenchmark -Dtest=BackfillBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false} ({@code -Dbenchmark.rows=N} to change the size).
 */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class BackfillBenchmark {
    private static final int ROWS = Integer.getInteger("benchmark.rows", 1_000_000);

    @Test
    void backfillOfAMillionRows(TestDatabase db) {
        MigrationHarness baseline = freshTable(db);
        long t = System.nanoTime();
        baseline.sql("UPDATE events SET amount = amount");
        double baselineSeconds = (System.nanoTime() - t) / 1e9;
        report("one UPDATE of every row (the ceiling)", ROWS, baselineSeconds, baselineSeconds);

        for (int batch : new int[] {1_000, 10_000}) {
            MigrationHarness h = freshTable(db);
            AtomicReference<MigrationListener.BackfillProgress> last = new AtomicReference<>();
            Pgroll pgroll = Pgroll.configure()
                    .dataSource(db.dataSource())
                    .schema(h.schema())
                    .backfillBatchSize(batch)
                    .listener(new MigrationListener() {
                        @Override
                        public void backfill(BackfillProgress progress) {
                            last.set(progress);
                        }
                    })
                    .load();
            t = System.nanoTime();
            pgroll.start(MigrationHarness.migration(
                    "02_label",
                    "operations:\n  - add_column: {table: events, up: \"kind || '-' || amount\", "
                            + "column: {name: label, type: text, nullable: false}}\n"));
            double startSeconds = (System.nanoTime() - t) / 1e9;
            MigrationListener.BackfillProgress p = last.get();
            report("backfill, batches of " + batch, p.rowsDone(), p.rowsDone() / p.rowsPerSecond(), baselineSeconds);
            report("whole start (backfill, NOT NULL validation, views)", ROWS, startSeconds, baselineSeconds);
            h.db().execute("DROP SCHEMA " + h.schema() + " CASCADE");
        }
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
                "VACUUM ANALYZE events");
        return h;
    }

    private static void report(String what, long rows, double seconds, double baselineSeconds) {
        System.out.printf(
                "BENCHMARK %-52s %,10d rows %8.2f s %,10.0f rows/s  %.2fx the plain UPDATE's time%n",
                what, rows, seconds, rows / seconds, seconds / baselineSeconds);
    }
}
