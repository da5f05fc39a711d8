package io.pgroll.cli;

import io.pgroll.engine.Pgroll;
import picocli.CommandLine.Option;

/** The backfill flags that start and migrate share. */
final class BackfillOptions {
    @Option(
            names = "--backfill-batch-size",
            description = "Number of rows backfilled in each batch (default: batches sized to take about 100ms"
                    + " each, the first of 1000 rows)")
    Integer batchSize;

    @Option(
            names = "--backfill-batch-delay",
            defaultValue = "0",
            description = "Pause between backfill batches, e.g. 100ms, 1s (default ${DEFAULT-VALUE})")
    String batchDelay;

    Pgroll.Builder applyTo(Pgroll.Builder builder) {
        // checked here so that the message names the flag, not the builder method
        if (batchSize != null) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("--backfill-batch-size must be at least 1 but was " + batchSize);
            }
            builder.backfillBatchSize(batchSize);
        }
        return builder.backfillBatchDelay(Durations.parse(batchDelay, "--backfill-batch-delay"));
    }
}
