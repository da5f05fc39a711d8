package io.pgroll.cli;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.model.FormatUpdate;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.engine.model.MigrationWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code update DIR}: rewrites the files in older pgroll formats in the current one. No database is
 * needed. Every file is read before any is written, so a file that no update mends leaves all as they
 * were.
 */
@Command(
        name = "update",
        description = "Update outdated migrations in a directory: rewrite files written for older pgroll versions"
                + " in the current format (each file keeps its format unless --json)")
final class UpdateCommand extends EngineCommand {
    @Parameters(paramLabel = "DIR", description = "The directory of migration files")
    Path directory;

    @Option(
            names = {"-j", "--json"},
            description = "Write the updated files in JSON (a YAML file is replaced by its .json)")
    boolean json;

    private record Rewrite(Path file, FormatUpdate.Result update) {}

    @Override
    void run() throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new PgrollException(ErrorKind.INVALID_MIGRATION, directory + " is not a directory of migrations");
        }
        List<Rewrite> rewrites = new ArrayList<>();
        for (Path file : MigrationReader.migrationFiles(directory)) {
            Optional<FormatUpdate.Result> update = FormatUpdate.of(file);
            update.ifPresent(u -> rewrites.add(new Rewrite(file, u)));
        }
        for (Rewrite rewrite : rewrites) {
            boolean wasJson = rewrite.file().getFileName().toString().endsWith(".json");
            boolean asJson = json || wasJson;
            // a file keeps its name (.yml too) unless --json turns YAML into JSON
            Path target = asJson == wasJson
                    ? rewrite.file()
                    : directory.resolve(MigrationWriter.fileName(
                            rewrite.update().migration().name(), true));
            Files.writeString(
                    target, MigrationWriter.file(rewrite.update().migration(), asJson), StandardCharsets.UTF_8);
            if (!target.equals(rewrite.file())) {
                Files.delete(rewrite.file());
            }
            root().err().println("Updated " + target + ":");
            rewrite.update().changes().forEach(change -> root().err().println("  " + change));
        }
        root().err()
                .println(
                        rewrites.isEmpty()
                                ? "Every migration file is in the current format"
                                : "Updated " + rewrites.size() + " file(s)");
    }
}
