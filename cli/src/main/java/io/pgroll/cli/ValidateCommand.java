package io.pgroll.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "validate", description = "Validate a migration file against the database's current schema")
final class ValidateCommand extends EngineCommand {
    @Parameters(paramLabel = "FILE", description = "The migration file (YAML or JSON)")
    Path file;

    @Mixin
    JsonOutput jsonOutput;

    @Override
    void run() {
        engine().load().validate(file);
        root().err().println("Migration " + file.getFileName() + " is valid");
        jsonOutput.print(root().out(), "file", file.toString(), "valid", true);
    }
}
