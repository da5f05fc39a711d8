package io.pgroll.cli;

import io.pgroll.engine.Pgroll;
import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationWriter;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "baseline",
        description = "Create a baseline migration for an existing database schema: record the schema as it is as "
                + "the starting point of its history (nothing in it changes), and write the placeholder file to "
                + "fill with the schema's DDL for new databases")
final class BaselineCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "VERSION", description = "The baseline's name, e.g. 01_initial_schema")
    String version;

    @Parameters(index = "1", paramLabel = "DIR", description = "The directory of migration files")
    Path directory;

    @Option(
            names = {"-j", "--json"},
            description = "Write the placeholder file in JSON instead of YAML")
    boolean json;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation when the history restarts from the baseline")
    boolean yes;

    @Override
    void run() throws IOException {
        Pgroll pgroll = engine().load();
        if (!pgroll.history().isEmpty() && !confirmed()) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    "Schema \"" + root().schema + "\" has a migration history, and a baseline restarts it: migrate "
                            + "and pull will then consider only the baseline and what follows. Pass --yes to go on; "
                            + "nothing was changed.");
        }
        Path dir = MigrationFiles.directory(directory);
        Path file = MigrationFiles.create(
                dir, MigrationWriter.fileName(version, json), placeholder(Migration.baselinePlaceholder(version)));
        try {
            pgroll.baseline(version);
        } catch (RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        root().err()
                .println("Baseline " + version + " of schema \"" + root().schema
                        + "\" recorded. Placeholder written to "
                        + file + ": give its sql operation's up the schema's DDL (pg_dump --schema-only --schema "
                        + root().schema + ") so that new databases can be built from the directory.");
    }

    private String placeholder(Migration migration) {
        String body = MigrationWriter.file(migration, json);
        if (json) {
            return body;
        }
        return "# Baseline of schema \"" + root().schema + "\": databases that have it in their history never run\n"
                + "# this file. For new databases, put the schema's DDL (pg_dump --schema-only) in up below.\n"
                + body;
    }

    private boolean confirmed() {
        if (yes) {
            return true;
        }
        Optional<Console> terminal = Terminal.interactive();
        if (terminal.isEmpty()) {
            return false;
        }
        String answer = terminal.get()
                .readLine(
                        "Creating a baseline restarts the migration history of schema \"%s\". Go on? [y/N] ",
                        root().schema);
        return answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("y");
    }
}
