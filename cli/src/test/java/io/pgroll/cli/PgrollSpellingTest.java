package io.pgroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command and flag of pgroll's own command line (its repository's {@code cli-definition.json},
 * copied here as facts: names and short forms) is ours under the same spelling, so that scripts written
 * for pgroll run unchanged.
 */
class PgrollSpellingTest {
    /** Each pgroll command with its flags, the short form after a slash. */
    private static final Map<String, List<String>> COMMANDS = Map.ofEntries(
            Map.entry("analyze", List.of()),
            Map.entry("baseline", List.of("json/j")),
            Map.entry("complete", List.of()),
            Map.entry("convert", List.of("json/j")),
            Map.entry("create", List.of("empty/e", "json/j", "name/n")),
            Map.entry("init", List.of()),
            Map.entry("latest", List.of("local/l", "with-schema/s")),
            Map.entry("migrate", List.of("backfill-batch-delay", "backfill-batch-size", "complete/c")),
            Map.entry("pull", List.of("json/j", "with-prefixes/p")),
            Map.entry("rollback", List.of()),
            Map.entry(
                    "start", List.of("backfill-batch-delay", "backfill-batch-size", "complete/c", "skip-validation/s")),
            Map.entry("status", List.of()));

    /** pgroll's flags of every command. */
    private static final List<String> GLOBAL =
            List.of("lock-timeout", "pgroll-schema", "postgres-url", "role", "schema", "verbose");

    @Test
    void everyPgrollCommandAndFlagIsSpelledAsPgrollSpellsIt() {
        CommandLine cli = new CommandLine(new PgrollCommand());
        assertThat(cli.getSubcommands()).containsKeys(COMMANDS.keySet().toArray(String[]::new));
        COMMANDS.forEach((command, flags) -> {
            CommandLine.Model.CommandSpec spec =
                    cli.getSubcommands().get(command).getCommandSpec();
            for (String flag : concat(flags, GLOBAL)) {
                String[] names = flag.split("/");
                assertThat(spec.findOption("--" + names[0]))
                        .as(command + " --" + names[0])
                        .isNotNull();
                if (names.length > 1) {
                    assertThat(spec.findOption("-" + names[1]))
                            .as(command + " -" + names[1])
                            .isSameAs(spec.findOption("--" + names[0]));
                }
            }
        });
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
