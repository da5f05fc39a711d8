package io.pgroll.cli;

import io.pgroll.engine.StartResult;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "start", description = "Start a migration for the operations present in the given file")
final class StartCommand extends EngineCommand {
    @Parameters(paramLabel = "FILE", description = "The migration file (YAML or JSON)")
    Path file;

    @Option(
            names = {"-c", "--complete"},
            description = "Mark the migration as complete")
    boolean complete;

    @Option(
            names = {"-s", "--skip-validation"},
            defaultValue = "${env:PGROLL_SKIP_VALIDATION:-false}",
            description = "Accepted for compatibility with pgroll; validation always runs, since an invalid "
                    + "migration must change nothing (env PGROLL_SKIP_VALIDATION)")
    boolean skipValidation;

    @Mixin
    BackfillOptions backfill;

    @Mixin
    JsonOutput jsonOutput;

    @Override
    void run() {
        StartResult result = backfill.applyTo(engine()).load().start(file, complete);
        String name = result.migration();
        if (result.alreadyApplied()) {
            root().err()
                    .println("Migration " + name + " was already started with the same content"
                            + (result.completed() ? "; it is complete" : "; nothing to do"));
        } else {
            root().err()
                    .println("Migration " + name + " started" + (complete ? " and completed" : "")
                            + (complete || result.versionSchema() == null
                                    ? ""
                                    : "; new version schema: " + result.versionSchema()));
        }
        jsonOutput.print(
                root().out(),
                "migration",
                name,
                "versionSchema",
                result.versionSchema(),
                "completed",
                result.completed(),
                "alreadyApplied",
                result.alreadyApplied());
    }
}
