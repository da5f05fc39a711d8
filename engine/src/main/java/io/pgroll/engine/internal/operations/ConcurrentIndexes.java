package io.pgroll.engine.internal.operations;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
        return "55P03".equals(state) || "40P01".equals(state) || "40001".equals(state);
    }

    static void dropIfInvalid(ExecutionContext context, String name) throws SQLException {
        try (PreparedStatement ps = context.connection()
                .prepareStatement("SELECT NOT indisvalid FROM pg_index WHERE indexrelid = "
                        + "to_regclass(quote_ident(?) || '.' || quote_ident(?))")) {
            ps.setString(1, context.schemaName());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    context.executor().concurrently("DROP INDEX CONCURRENTLY IF EXISTS " + context.qualified(name));
                }
            }
        }
    }
}
