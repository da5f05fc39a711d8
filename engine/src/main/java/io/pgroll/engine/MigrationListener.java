package io.pgroll.engine;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a running command reports while it works: the engine never prints. The CLI prints these; an
 * application may log them. Every method has an empty default, so a listener overrides what it needs.
 * Calls come from the thread that runs the command.
 */
public interface MigrationListener {
    /** A listener that ignores everything. */
    MigrationListener NONE = new MigrationListener() {};

    /** An operation of the migration begins a phase ({@code start}, {@code complete}, {@code rollback}). */
    default void operation(String migration, int index, String description, String phase) {}

    /**
     * A statement could not take its lock within the lock timeout, because other transactions hold
     * conflicting locks; it will be retried after {@code nextDelay}.
     */
    default void lockWait(String statement, int attempt, Duration nextDelay) {}

    /**
     * The sessions that probably hold the lock a statement waited for: those with a lock on the migrated
     * schema's tables in a transaction open longer than the lock timeout, each with its process id, state,
     * age and query (as far as the role may see it).
     */
    default void lockHolders(String statement, List<String> sessions) {}

    /** A backfill made progress. */
    default void backfill(BackfillProgress progress) {}

    /**
     * A backfill holds its next batch because standbys are further behind than the configured bound:
     * told when the wait begins, every 10 seconds while it lasts (with the standbys still behind), and
     * once when it ends, with none behind and the whole time waited.
     */
    default void replicaWait(ReplicaWait wait) {}

    /** Something a person should know that is neither progress nor failure. */
    default void notice(String message) {}

    /**
     * Progress of the batched backfill of one table, after each batch; {@code finished} on the last
     * report, when {@code rowsDone} is the final count ({@code rowsTotal} is an estimate until then).
     */
    record BackfillProgress(
            String table, long rowsDone, long rowsTotal, double rowsPerSecond, Duration eta, boolean finished) {}

    /** A wait of the backfill of {@code table} for the standbys {@code behind}, {@code waited} so far. */
    record ReplicaWait(String table, List<StandbyLag> behind, Duration waited) {
        public ReplicaWait {
            behind = List.copyOf(behind);
        }

        /** Whether the wait is over: no standby is behind any more. */
        public boolean ended() {
            return behind.isEmpty();
        }
    }

    /**
     * How far one standby is behind, as its primary sees it: {@code bytes} of WAL written but not yet
     * replayed there, and the replay lag {@code pg_stat_replication} reports (zero once it has caught up).
     */
    record StandbyLag(String standby, long bytes, Duration replayLag) {
        /** For a person: {@code replica1 at 10.0.0.7 has 12.4 MB of WAL to replay, replay lag 4200 ms}. */
        public String describe() {
            int power = bytes < 1024 ? 0 : Math.min(4, (63 - Long.numberOfLeadingZeros(bytes)) / 10);
            String amount = power == 0
                    ? bytes + " B"
                    : String.format(
                            Locale.ROOT,
                            "%.1f %s",
                            bytes / Math.pow(1024, power),
                            List.of("kB", "MB", "GB", "TB").get(power - 1));
            return standby + " has " + amount + " of WAL to replay, replay lag " + replayLag.toMillis() + " ms";
        }
    }
}
