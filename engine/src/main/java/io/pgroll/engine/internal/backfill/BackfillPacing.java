package io.pgroll.engine.internal.backfill;

import java.time.Duration;

/**
 * How fast a backfill may go: its batches' size or time, the pause between them, and how far behind a
 * standby may fall before the next batch waits for it.
 *
 * @param batchSize rows of every batch when {@code batchTime} is null, else of the first
 * @param batchTime the time a batch should take, its size adapted to it; null for batches of a fixed size
 * @param batchDelay the pause after each batch
 * @param maxReplicaLag the replay lag (as {@code pg_stat_replication} reports it) past which a standby
 *     makes the next batch wait; null for no bound
 * @param maxReplicaLagBytes the WAL bytes a standby may have left to replay before the next batch waits;
 *     0 for no bound
 */
public record BackfillPacing(
        int batchSize, Duration batchTime, Duration batchDelay, Duration maxReplicaLag, long maxReplicaLagBytes) {

    /** Whether a batch waits for lagging standbys. */
    public boolean watchesReplicas() {
        return maxReplicaLag != null || maxReplicaLagBytes > 0;
    }

    /** The same pacing without a bound on standbys: a rehearsal has no rows to send them. */
    public BackfillPacing withoutReplicaBound() {
        return new BackfillPacing(batchSize, batchTime, batchDelay, null, 0);
    }
}
