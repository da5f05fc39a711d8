package io.pgroll.engine;

import java.util.List;

/**
 * What a migration's start, complete and rollback would run, found by rehearsing them on an empty copy
 * of the schema's tables on the connected server: every statement in order, with the locks it took, and
 * the tables it scanned or rewrote there, measured rather than predicted. Nothing of the rehearsal is
 * left in the database, and the real tables are never locked beyond ACCESS SHARE while they are copied.
 *
 * @param serverMajor the connected server's major version, which the measurements hold for
 * @param notCopied what the schema has that the copy lacked, e.g. {@code 2 view(s)}: statements for
 *     those may be missing from the plan
 * @param notices what the rehearsed commands told, as they would tell it for real (lint findings of
 *     {@code sql} operations, among others)
 */
public record Plan(
        String migration,
        String schema,
        int serverMajor,
        List<Step> start,
        List<Step> complete,
        List<Step> rollback,
        List<String> notCopied,
        List<String> notices) {
    public Plan {
        start = List.copyOf(start);
        complete = List.copyOf(complete);
        rollback = List.copyOf(rollback);
        notCopied = List.copyOf(notCopied);
        notices = List.copyOf(notices);
    }

    /** How a step runs. */
    public enum Kind {
        /** In a short transaction under the lock timeout, retried on a lock timeout. */
        STATEMENT,
        /** Outside any transaction (CREATE or DROP INDEX CONCURRENTLY), blocking neither reads nor writes. */
        CONCURRENT,
        /** A batched backfill: an UPDATE per batch of rows, each its own short transaction. */
        BACKFILL
    }

    /**
     * One statement (or one backfill) of a phase.
     *
     * @param operation the operation it belongs to, from 1; 0 for the migration's own statements, such as
     *     publishing the version schema
     * @param operationDescription the operation as {@code pgroll} describes it, or null for 0
     * @param sql the statement as it would run; for a backfill, what each batch does
     * @param transaction the transaction it runs in, counted across the phase: statements of one
     *     transaction commit together and hold their locks until then
     * @param locks the table locks the statement took that its transaction did not hold already
     * @param work the tables it scanned, rewrote or backfills, with their estimated rows
     */
    public record Step(
            int operation,
            String operationDescription,
            Kind kind,
            String sql,
            int transaction,
            List<TableLock> locks,
            List<TableWork> work) {
        public Step {
            locks = List.copyOf(locks);
            work = List.copyOf(work);
        }
    }

    /** A lock on a table, {@code mode} as PostgreSQL names it, e.g. {@code ACCESS EXCLUSIVE}. */
    public record TableLock(String table, String mode) {
        /** Whether the lock makes the application's reads of the table wait. */
        public boolean blocksReads() {
            return mode.equals("ACCESS EXCLUSIVE");
        }

        /** Whether the lock makes the application's writes of the table wait. */
        public boolean blocksWrites() {
            return switch (mode) {
                case "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE" -> true;
                default -> false;
            };
        }
    }

    /** What a step reads or writes of a whole table. */
    public enum Work {
        SCAN,
        REWRITE,
        BACKFILL
    }

    /**
     * A table a step scans, rewrites or backfills.
     *
     * @param estimatedRows the planner's estimate of the real table's rows, -1 when it was never analysed
     */
    public record TableWork(String table, Work work, long estimatedRows) {}
}
