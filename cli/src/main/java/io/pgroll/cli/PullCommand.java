package io.pgroll.cli;

import io.pgroll.engine.model.Migration;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "pull",
        description = "Pull migration history from the target database and write it to disk: a file for each "
                + "migration of the history (from its newest baseline on) that the directory has no file for")
final class PullCommand extends EngineCommand {
    @Parameters(paramLabel = "DIR", description = "The directory to write to (created if missing)")
    Path directory;

    @Option(
            names = {"-j", "--json"},
            description = "Write each migration in JSON instead of YAML")
    boolean json;

    @Option(
            names = {"-p", "--with-prefixes"},
            description = "Prefix each file name with its position in the history (0001_...); the prefix becomes"
                    + " part of the migration's name, so such files suit a new database's directory")
    boolean withPrefixes;

    @Override
    void run() {
        List<Migration> history = engine().load().recordedMigrations();
        Path dir = MigrationFiles.directory(directory);
        Set<String> present = MigrationFiles.names(dir);
        int written = 0;
        for (int i = 0; i < history.size(); i++) {
            Migration migration = history.get(i);
            String prefix = withPrefixes ? String.format(Locale.ROOT, "%04d_", i + 1) : "";
            if (present.contains(prefix + migration.name())) {
                continue;
            }
            Path file = MigrationFiles.create(dir, prefix, migration, json);
            root().err().println("Wrote " + file);
            written++;
        }
        root().err()
                .println(
                        written == 0
                                ? "The directory has every migration of the history already"
                                : "Pulled " + written + " migration(s) into " + dir);
    }
}
