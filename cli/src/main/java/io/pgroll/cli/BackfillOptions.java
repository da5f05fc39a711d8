package io.pgroll.cli;

import io.pgroll.engine.Pgroll;
import java.time.Duration;
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

    @Option(
            names = "--backfill-max-replica-lag",
            description = "Hold each backfill batch while a standby's replay lag is above this, e.g. 5s"
                    + " (default: no bound; needs pg_monitor)")
    String maxReplicaLag;

    @Option(
            names = "--backfill-max-replica-lag-bytes",
            description = "Hold each backfill batch while a standby has more WAL than this left to replay,"
                    + " e.g. 64MB (default: no bound; needs pg_monitor)")
    String maxReplicaLagBytes;

    Pgroll.Builder applyTo(Pgroll.Builder builder) {
        // checked here so that the message names the flag, not the builder method
        if (batchSize != null) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("--backfill-batch-size must be at least 1 but was " + batchSize);
            }
            builder.backfillBatchSize(batchSize);
        }
        if (maxReplicaLag != null) {
            Duration lag = Durations.parse(maxReplicaLag, "--backfill-max-replica-lag");
            if (lag.isZero()) {
                throw new IllegalArgumentException("--backfill-max-replica-lag must be more than 0");
            }
            builder.backfillMaxReplicaLag(lag);
        }
        if (maxReplicaLagBytes != null) {
            builder.backfillMaxReplicaLagBytes(Sizes.parse(maxReplicaLagBytes, "--backfill-max-replica-lag-bytes"));
        }
        return builder.backfillBatchDelay(Durations.parse(batchDelay, "--backfill-batch-delay"));
    }
}
