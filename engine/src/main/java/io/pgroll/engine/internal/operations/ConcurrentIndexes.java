package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.SqlStates;
import java.sql.SQLException;

/**
 * Builds indexes with CREATE INDEX CONCURRENTLY, which takes only SHARE UPDATE EXCLUSIVE (reads and
 * writes go on) but cannot run in a transaction and, when it fails, leaves an INVALID index behind
 * that still slows every write. Such a leftover is dropped (concurrently too) before each attempt and
 * after a final failure; an index already built by an earlier, crashed run is kept.
 */
final class ConcurrentIndexes {
    private static final int ATTEMPTS = 3;

    private ConcurrentIndexes() {}

    /** Runs {@code createSql}, which creates the index {@code name} in the target schema concurrently. */
    static void build(ExecutionContext context, String name, String createSql) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            dropIfInvalid(context, name);
            if (context.catalog().relationExists(name)) {
                return;
            }
            try {
                context.executor().concurrently(createSql);
                return;
            } catch (SQLException e) {
                if (attempt >= ATTEMPTS || !isTransient(e)) {
                    dropIfInvalid(context, name);
                    throw e;
                }
            }
        }
    }

    /** Lock timeouts and deadlocks with concurrent DDL are worth another try; a duplicate key is not. */
    private static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return SqlStates.LOCK_NOT_AVAILABLE.equals(state)
                || SqlStates.DEADLOCK_DETECTED.equals(state)
                || SqlStates.SERIALIZATION_FAILURE.equals(state);
    }

    private static void dropIfInvalid(ExecutionContext context, String name) throws SQLException {
        if (context.catalog().indexIsInvalid(name)) {
            context.executor().concurrently("DROP INDEX CONCURRENTLY IF EXISTS " + context.qualified(name));
        }
    }
}
