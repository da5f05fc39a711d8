package io.pgroll.engine.internal.state;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.internal.sql.Retry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * The session advisory lock that serialises the migrators of one schema: keyed by (state schema,
 * schema), so two schemas migrate independently. Ten replicas of an application starting at once all
 * take it: one migrates, the others wait, then find the work done.
 */
public final class AdvisoryLock {
    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final String stateSchema;
    private final String schema;

    public AdvisoryLock(String stateSchema, String schema) {
        this.stateSchema = stateSchema;
        this.schema = schema;
    }

    /** Takes the lock, waiting up to {@code wait}; on timeout the error names the session that holds it. */
    public void acquire(Connection c, Duration wait) throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        Duration poll = FIRST_POLL;
        while (!call(c, "pg_try_advisory_lock")) {
            if (System.nanoTime() > deadline) {
                throw new PgrollException(
                        ErrorKind.LOCKED,
                        "Another migrator is working on schema \"" + schema + "\" (" + holder(c)
                                + ") and did not finish within " + wait.toSeconds() + " s. Wait for it to finish, "
                                + "or raise the wait; nothing was changed.");
            }
            Retry.sleep(poll, "waiting for the migration lock");
            poll = Retry.doubled(poll, MAX_POLL);
        }
    }

    /**
     * Releases the lock. Returns false when this session did not hold it (PostgreSQL then only warns):
     * the caller must then not hand the connection back to a pool as if nothing happened.
     */
    public boolean release(Connection c) throws SQLException {
        return call(c, "pg_advisory_unlock");
    }

    private boolean call(Connection c, String function) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(hashtext(?), hashtext(?))")) {
            ps.setString(1, "pgroll:" + stateSchema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private String holder(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                """
                SELECT a.pid, a.application_name, a.usename, a.client_addr, a.backend_start
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted
                  AND l.classid = hashtext(?)::oid AND l.objid = hashtext(?)::oid AND l.objsubid = 2
                """)) {
            ps.setString(1, "pgroll:" + stateSchema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "the holder has just released it";
                }
                String app = rs.getString(2);
                return "held by backend pid " + rs.getInt(1)
                        + (app == null || app.isEmpty() ? "" : " \"" + app + "\"")
                        + " as " + rs.getString(3)
                        + (rs.getString(4) == null ? "" : " from " + rs.getString(4))
                        + " since " + rs.getObject(5, OffsetDateTime.class);
            }
        }
    }
}
