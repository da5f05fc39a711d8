package io.pgroll.cli;

import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", description = "Validate a migration file against the database's current schema")
final class ValidateCommand extends EngineCommand {
    @Parameters(paramLabel = "FILE", description = "The migration file (YAML or JSON)")
    Path file;

    @Override
    void run() {
        Migration migration = MigrationReader.readFile(file);
        engine().load().validate(migration);
        root().err().println("Migration " + migration.name() + " is valid");
    }
}
