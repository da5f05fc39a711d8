package io.pgroll.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.engine.MigrationListener.BackfillProgress;
import io.pgroll.engine.MigrationListener.ReplicaWait;
import io.pgroll.engine.MigrationListener.StandbyLag;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
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
    void aBackfillHeldByAStandbySaysWhichAndHowFarBehind() {
        StringWriter out = new StringWriter();
        ConsoleListener listener = new ConsoleListener(new PrintWriter(out), false);
        StandbyLag lag = new StandbyLag("replica1 at 10.0.0.7", 13_000_000, Duration.ofMillis(4200));

        listener.replicaWait(new ReplicaWait("users", List.of(lag), Duration.ZERO));
        listener.replicaWait(new ReplicaWait("users", List.of(lag), Duration.ofSeconds(10)));
        listener.replicaWait(new ReplicaWait("users", List.of(), Duration.ofMillis(12_345)));

        assertThat(out.toString())
                .isEqualTo("backfill users: holding until its standby catches up: replica1 at 10.0.0.7 has 12.4 MB"
                        + " of WAL to replay, replay lag 4200 ms\n"
                        + "backfill users: still holding after 10 s until its standby catches up: replica1 at"
                        + " 10.0.0.7 has 12.4 MB of WAL to replay, replay lag 4200 ms\n"
                        + "backfill users: standbys within the bound again after 12.3 s, going on\n");
    }

    @Test
    void sizesReadAsPostgresqlSettingsDo() {
        assertThat(Sizes.parse("65536", "--f")).isEqualTo(65536);
        assertThat(Sizes.parse("512kB", "--f")).isEqualTo(512 * 1024);
        assertThat(Sizes.parse("64MB", "--f")).isEqualTo(64L << 20);
        assertThat(Sizes.parse("1 gb", "--f")).isEqualTo(1L << 30);
        for (String wrong : List.of("0", "-1MB", "12XB", "MB", "99999999999TB")) {
            assertThatThrownBy(() -> Sizes.parse(wrong, "--f"))
                    .hasMessage("--f \"" + wrong + "\" is not a size of at least one byte; write it like 65536, 512kB,"
                            + " 64MB or 1GB");
        }
        assertThat(new StandbyLag("s", 812, Duration.ZERO).describe()).startsWith("s has 812 B of WAL");
        assertThat(new StandbyLag("s", 3 * 1024 + 100, Duration.ZERO).describe())
                .startsWith("s has 3.1 kB of WAL");
        assertThat(new StandbyLag("s", 5L << 40, Duration.ZERO).describe()).startsWith("s has 5.0 TB of WAL");
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
