package io.pgroll.cli;

import io.pgroll.engine.MigrationListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/** Prints what the engine reports, on stderr, so stdout carries only a command's result. */
final class ConsoleListener implements MigrationListener {
    private final PrintWriter err;
    private long lastBackfillPrint;

    ConsoleListener(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void operation(String migration, int index, String description, String phase) {
        err.println(phase + " " + migration + ": operation " + index + " (" + description + ")");
        err.flush();
    }

    @Override
    public void lockHolders(String statement, List<String> sessions) {
        err.println("  held by " + String.join("; ", sessions));
        err.flush();
    }

    @Override
    public void lockWait(String statement, int attempt, Duration nextDelay) {
        err.println("lock not available within the lock timeout (attempt " + attempt + "), retrying in "
                + nextDelay.toMillis() + " ms: " + statement);
        err.flush();
    }

    @Override
    public void backfill(BackfillProgress p) {
        long now = System.nanoTime();
        if (p.finished()) {
            err.printf("backfill %s: done, %d rows at %.0f rows/s%n", p.table(), p.rowsDone(), p.rowsPerSecond());
        } else if (now - lastBackfillPrint >= 1_000_000_000L) {
            lastBackfillPrint = now;
            err.printf(
                    "backfill %s: %d of ~%d rows, %.0f rows/s, ETA %d s%n",
                    p.table(),
                    p.rowsDone(),
                    p.rowsTotal(),
                    p.rowsPerSecond(),
                    p.eta().toSeconds());
        }
        err.flush();
    }

    @Override
    public void notice(String message) {
        err.println("note: " + message);
        err.flush();
    }
}
