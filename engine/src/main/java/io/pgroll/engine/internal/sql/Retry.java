package io.pgroll.engine.internal.sql;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** The waiting every retry loop of the engine shares: interruptible sleeps, capped doubling, jitter. */
public final class Retry {
    private Retry() {}

    /** Sleeps; an interrupt keeps the thread's flag and ends the command as a cancelled statement would. */
    public static void sleep(Duration duration, String activity) throws SQLException {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while " + activity, SqlStates.QUERY_CANCELED, e);
        }
    }

    /** Twice {@code delay}, at most {@code max}. */
    public static Duration doubled(Duration delay, Duration max) {
        Duration twice = delay.multipliedBy(2);
        return twice.compareTo(max) > 0 ? max : twice;
    }

    /**
     * Between half and all of {@code delay}, at random, so that many migrators, or the retries of a busy
     * table, do not wake in step.
     */
    public static Duration jittered(Duration delay) {
        long millis = delay.toMillis();
        return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }
}
