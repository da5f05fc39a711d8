package io.pgroll.spring;

import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.MigrationListener.StandbyLag;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What the engine reports while it migrates at startup, in the application's log: each operation, lock
 * waits and who holds the lock, backfill progress (every few seconds and at its end), waits for
 * standbys, and notices. A startup that takes minutes then says what it is doing.
 */
final class LoggingListener implements MigrationListener {
    private static final Log log = LogFactory.getLog(PgrollMigrator.class);
    private static final long PROGRESS_EVERY = Duration.ofSeconds(5).toNanos();

    private long lastProgress = System.nanoTime();

    @Override
    public void operation(String migration, int index, String description, String phase) {
        log.info("pgroll: " + phase + " " + migration + ": operation " + index + " (" + description + ")");
    }

    @Override
    public void lockWait(String statement, int attempt, Duration nextDelay) {
        log.warn("pgroll: lock not available within the lock timeout (attempt " + attempt + "), retrying in "
                + nextDelay.toMillis() + " ms: " + statement);
    }

    @Override
    public void lockHolders(String statement, List<String> sessions) {
        log.warn("pgroll: the lock is held by " + String.join("; ", sessions));
    }

    @Override
    public void backfill(BackfillProgress p) {
        if (p.finished()) {
            log.info(String.format(
                    Locale.ROOT,
                    "pgroll: backfill %s: done, %,d rows at %,.0f rows/s",
                    p.table(),
                    p.rowsDone(),
                    p.rowsPerSecond()));
        } else if (System.nanoTime() - lastProgress >= PROGRESS_EVERY) {
            lastProgress = System.nanoTime();
            log.info(String.format(
                    Locale.ROOT,
                    "pgroll: backfill %s: %,d of ~%,d rows, %,.0f rows/s, ETA %d s",
                    p.table(),
                    p.rowsDone(),
                    p.rowsTotal(),
                    p.rowsPerSecond(),
                    p.eta().toSeconds()));
        }
    }

    @Override
    public void replicaWait(ReplicaWait wait) {
        if (wait.ended()) {
            log.info("pgroll: backfill " + wait.table() + ": standbys within the bound again after "
                    + wait.waited().toMillis() + " ms, going on");
            return;
        }
        log.warn("pgroll: backfill " + wait.table() + ": holding"
                + (wait.waited().isZero() ? "" : " for " + wait.waited().toSeconds() + " s")
                + " until standbys catch up: "
                + String.join(
                        "; ", wait.behind().stream().map(StandbyLag::describe).toList()));
    }

    @Override
    public void notice(String message) {
        log.info("pgroll: " + message);
    }
}
