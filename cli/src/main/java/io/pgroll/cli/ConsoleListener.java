package io.pgroll.cli;

import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.MigrationListener.StandbyLag;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Prints what the engine reports, on stderr, so stdout carries only a command's result. */
final class ConsoleListener implements MigrationListener {
    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private long lastBackfillPrint;
    private int barLength;

    /** {@code terminal}: a person watches, so a backfill shows as a bar redrawn in place, not as log lines. */
    ConsoleListener(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void operation(String migration, int index, String description, String phase) {
        endBar();
        err.println(phase + " " + migration + ": operation " + index + " (" + description + ")");
        err.flush();
    }

    @Override
    public void lockHolders(String statement, List<String> sessions) {
        endBar();
        err.println("  held by " + String.join("; ", sessions));
        err.flush();
    }

    @Override
    public void lockWait(String statement, int attempt, Duration nextDelay) {
        endBar();
        err.println("lock not available within the lock timeout (attempt " + attempt + "), retrying in "
                + nextDelay.toMillis() + " ms: " + statement);
        err.flush();
    }

    @Override
    public void backfill(BackfillProgress p) {
        if (terminal) {
            bar(p);
            return;
        }
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

    /** One line redrawn in place, at most ten times a second, and left as the summary when done. */
    private void bar(BackfillProgress p) {
        long now = System.nanoTime();
        if (!p.finished() && now - lastBackfillPrint < 100_000_000L) {
            return;
        }
        lastBackfillPrint = now;
        String line;
        if (p.finished()) {
            line = String.format(
                    Locale.ROOT,
                    "backfill %s: done, %,d rows at %,.0f rows/s",
                    p.table(),
                    p.rowsDone(),
                    p.rowsPerSecond());
        } else {
            long total = Math.max(p.rowsTotal(), p.rowsDone());
            int percent = total == 0 ? 100 : (int) (100 * p.rowsDone() / total);
            int filled = percent * BAR_WIDTH / 100;
            line = String.format(
                    Locale.ROOT,
                    "backfill %s [%s%s] %3d%% %,d of ~%,d rows, %,.0f rows/s, ETA %d s",
                    p.table(),
                    "#".repeat(filled),
                    "-".repeat(BAR_WIDTH - filled),
                    percent,
                    p.rowsDone(),
                    total,
                    p.rowsPerSecond(),
                    p.eta().toSeconds());
        }
        // pad over what the longer line before left on the screen
        err.print("\r" + line + " ".repeat(Math.max(0, barLength - line.length())));
        barLength = line.length();
        if (p.finished()) {
            err.println();
            barLength = 0;
        }
        err.flush();
    }

    /** Ends a progress bar's line, so that a message printed meanwhile starts a line of its own. */
    private void endBar() {
        if (barLength > 0) {
            err.println();
            barLength = 0;
        }
    }

    @Override
    public void replicaWait(ReplicaWait wait) {
        endBar();
        if (wait.ended()) {
            err.printf(
                    Locale.ROOT,
                    "backfill %s: standbys within the bound again after %.1f s, going on%n",
                    wait.table(),
                    wait.waited().toMillis() / 1000.0);
        } else {
            err.printf(
                    Locale.ROOT,
                    "backfill %s: %s until %s catch%s up: %s%n",
                    wait.table(),
                    wait.waited().isZero()
                            ? "holding"
                            : "still holding after " + wait.waited().toSeconds() + " s",
                    wait.behind().size() == 1 ? "its standby" : "its standbys",
                    wait.behind().size() == 1 ? "es" : "",
                    String.join(
                            "; ",
                            wait.behind().stream().map(StandbyLag::describe).toList()));
        }
        err.flush();
    }

    @Override
    public void notice(String message) {
        endBar();
        err.println("note: " + message);
        err.flush();
    }
}
