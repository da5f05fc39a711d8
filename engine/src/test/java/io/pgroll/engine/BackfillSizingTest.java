package io.pgroll.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How the backfill sizes its batches: to a time per batch by default, growing from 1000 rows while
 * batches are quick and shrinking when they are slow; every batch the same size when one is set.
 * Every row is filled either way, by the backfill's own statement or, where only the trigger can
 * compute the value, through it.
 */
@ExtendWith(PostgresExtension.class)
class BackfillSizingTest {
    private static final int ROWS = 30_000;

    @Test
    void quickBatchesGrowFromAThousandRows(TestDatabase db) {
        List<Long> batches = backfill(db, "up: \"'n' || id\"", UnaryOperator.identity());
        assertThat(batches.get(0)).isEqualTo(1000);
        // a batch of 1000 rows of this table takes far less than 100 ms: the next ones are larger
        assertThat(batches.get(1)).isGreaterThan(1000);
        assertThat(batches).hasSizeLessThan(ROWS / 1000);
    }

    @Test
    void batchesSlowerThanTheTargetShrinkToAHundredRows(TestDatabase db) {
        List<Long> batches = backfill(
                db,
                "up: \"'n' || id || left(pg_sleep(0.0001)::text, 0)\"",
                b -> b.backfillBatchTime(Duration.ofMillis(1)));
        assertThat(batches.get(0)).isEqualTo(1000);
        assertThat(batches.get(1)).isEqualTo(500);
        assertThat(batches.subList(5, batches.size() - 1)).containsOnly(100L);
    }

    @Test
    void aFixedSizeIsKeptForEveryBatch(TestDatabase db) {
        List<Long> batches = backfill(db, "up: \"'n' || id\"", b -> b.backfillBatchSize(7000));
        assertThat(batches).containsExactly(7000L, 7000L, 7000L, 7000L, 2000L);
    }

    /** Adds a NOT NULL column computed by {@code up}; returns the rows of each batch. */
    private static List<Long> backfill(TestDatabase db, String up, UnaryOperator<Pgroll.Builder> settings) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete(
                "01_items",
                "operations:\n  - create_table: {name: items, columns: [{name: id, type: int, pk: true}]}\n");
        h.sql("INSERT INTO items SELECT g FROM generate_series(1, " + ROWS + ") g", "ANALYZE items");
        List<Long> done = new ArrayList<>();
        Pgroll pgroll = settings.apply(Pgroll.configure()
                        .dataSource(db.dataSource())
                        .schema(h.schema())
                        .listener(new MigrationListener() {
                            @Override
                            public void backfill(BackfillProgress progress) {
                                if (!progress.finished()) {
                                    done.add(progress.rowsDone());
                                }
                            }
                        }))
                .load();
        pgroll.start(MigrationHarness.migration(
                "02_label",
                "operations:\n  - add_column: {table: items, " + up
                        + ", column: {name: label, type: text, nullable: false}}\n"));
        assertThat(h.db().queryValue("SELECT count(*) FROM " + h.schema() + ".items WHERE _pgroll_new_label LIKE 'n%'"))
                .isEqualTo(String.valueOf(ROWS));
        List<Long> batches = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            batches.add(done.get(i) - (i == 0 ? 0 : done.get(i - 1)));
        }
        return batches;
    }
}
