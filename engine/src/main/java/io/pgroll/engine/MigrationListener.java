package io.pgroll.engine;

import java.time.Duration;
import java.util.List;

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

    /** Something a person should know that is neither progress nor failure. */
    default void notice(String message) {}

    /**
     * Progress of the batched backfill of one table, after each batch; {@code finished} on the last
     * report, when {@code rowsDone} is the final count ({@code rowsTotal} is an estimate until then).
     */
    record BackfillProgress(
            String table, long rowsDone, long rowsTotal, double rowsPerSecond, Duration eta, boolean finished) {}
}
