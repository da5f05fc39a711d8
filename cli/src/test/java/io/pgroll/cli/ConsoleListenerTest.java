package io.pgroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.engine.MigrationListener.BackfillProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a person sees on a terminal, and what a log gets otherwise. */
class ConsoleListenerTest {

    @Test
    void onATerminalABackfillIsABarRedrawnInPlaceThenASummaryLine() throws InterruptedException {
        StringWriter out = new StringWriter();
        ConsoleListener listener = new ConsoleListener(new PrintWriter(out), true);

        listener.backfill(new BackfillProgress("users", 250_000, 1_000_000, 196_000.4, Duration.ofSeconds(4), false));
        Thread.sleep(120); // the bar is redrawn at most ten times a second
        listener.backfill(new BackfillProgress("users", 500_000, 1_000_000, 196_000.4, Duration.ofSeconds(3), false));
        listener.notice("something to know");
        listener.backfill(new BackfillProgress("users", 1_000_000, 1_000_000, 196_000.4, Duration.ZERO, true));

        String text = out.toString();
        assertThat(text)
                .startsWith("\rbackfill users [#######-----------------------]  25% 250,000 of ~1,000,000 rows,"
                        + " 196,000 rows/s, ETA 4 s")
                .contains("\rbackfill users [###############---------------]  50% 500,000 of ~1,000,000 rows")
                .contains("ETA 3 s\nnote: something to know\n")
                .endsWith("\rbackfill users: done, 1,000,000 rows at 196,000 rows/s\n");
    }

    @Test
    void otherwiseABackfillIsLogLines() {
        StringWriter out = new StringWriter();
        ConsoleListener listener = new ConsoleListener(new PrintWriter(out), false);

        listener.backfill(new BackfillProgress("users", 250_000, 1_000_000, 196_000, Duration.ofSeconds(4), false));
        listener.backfill(new BackfillProgress("users", 1_000_000, 1_000_000, 196_000, Duration.ZERO, true));

        assertThat(out.toString())
                .isEqualTo("backfill users: 250000 of ~1000000 rows, 196000 rows/s, ETA 4 s\n"
                        + "backfill users: done, 1000000 rows at 196000 rows/s\n");
    }

    @Test
    void anErrorIsRedOnlyOnATerminal() {
        StringWriter err = new StringWriter();
        Main.run(new String[] {"squash"}, new PrintWriter(new StringWriter()), new PrintWriter(err), true);
        boolean noColor = System.getenv("NO_COLOR") != null;
        assertThat(err.toString()).startsWith(noColor ? "Error: " : "\u001B[31mError:\u001B[0m unknown command");
        assertThat(CommandRun.run("squash").err()).startsWith("Error: unknown command");
    }
}
