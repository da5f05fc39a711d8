package io.pgroll.cli;

import io.pgroll.engine.Pgroll;
import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "migrate",
        description = "Apply outstanding migrations from a directory to a database: every one is completed but "
                + "the last, unless --complete")
final class MigrateCommand extends EngineCommand {
    @Parameters(paramLabel = "DIR", description = "The directory of migration files")
    Path directory;

    @Option(
            names = {"-c", "--complete"},
            description = "Complete the final migration too")
    boolean complete;

    @Option(names = "--expect-one", description = "Fail unless exactly one migration is outstanding")
    boolean expectOne;

    @Mixin
    BackfillOptions backfill;

    @Mixin
    JsonOutput jsonOutput;

    @Override
    void run() {
        Pgroll pgroll = backfill.applyTo(engine()).load();
        if (expectOne) {
            List<Migration> all = new ArrayList<>();
            for (Path file : MigrationReader.migrationFiles(directory)) {
                all.add(MigrationReader.readFile(file));
            }
            int pending = pgroll.pendingMigrations(all, directory.toString()).size();
            if (pending != 1) {
                throw new PgrollException(
                        ErrorKind.WRONG_STATE,
                        directory + ": --expect-one was given but " + pending
                                + " migrations are outstanding; nothing was changed.");
            }
        }
        List<String> started = pgroll.migrate(directory, complete);
        if (started.isEmpty()) {
            root().err().println("Database is up to date; no migrations to apply");
        } else {
            root().err().println("Applied " + started.size() + " migration(s): " + String.join(", ", started));
        }
        jsonOutput.print(root().out(), "started", started, "lastCompleted", complete && !started.isEmpty());
    }
}
