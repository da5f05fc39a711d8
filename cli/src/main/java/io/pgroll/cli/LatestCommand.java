package io.pgroll.cli;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code latest schema|migration|url}: the newest version, read from the database or, with {@code
 * --local DIR}, from the migration files alone (for build scripts that must not need a database).
 */
@Command(
        name = "latest",
        description = "Print the name of the latest schema version or migration",
        subcommands = {LatestCommand.Schema.class, LatestCommand.MigrationName.class, LatestCommand.Url.class})
final class LatestCommand extends LatestBase {
    @Option(
            names = {"-s", "--with-schema"},
            description = "Print the latest version schema's name, as `latest schema` does (the spelling of pgroll's"
                    + " older guides); it is also what `latest` alone prints")
    boolean withSchema;

    @Override
    void run() {
        // with or without --with-schema: the version schema is the one answer scripts can pin to
        answer("versionSchema", versionSchema());
    }

    @Command(name = "schema", description = "Print the latest version schema name")
    static final class Schema extends LatestBase {
        @Override
        void run() {
            answer("versionSchema", versionSchema());
        }
    }

    @Command(name = "migration", description = "Print the latest migration name")
    static final class MigrationName extends LatestBase {
        @Override
        void run() {
            answer("migration", migrationName());
        }
    }

    @Command(name = "url", description = "Print a database URL whose search_path is the latest version schema")
    static final class Url extends LatestBase {
        @Override
        void run() {
            answer("url", ConnectionUrl.withSearchPath(root().postgresUrl, versionSchema()));
        }
    }
}

/** What the latest subcommands share: --local, and where the answer comes from. */
abstract class LatestBase extends EngineCommand {
    @Option(
            names = {"-l", "--local"},
            paramLabel = "DIR",
            description = "Read the latest version from the migration files in DIR instead of the database")
    Path local;

    @Mixin
    JsonOutput jsonOutput;

    /** The answer alone on stdout, for $(...), or as a JSON object with --json. */
    void answer(String key, String value) {
        if (jsonOutput.json) {
            jsonOutput.print(root().out(), key, value);
        } else {
            root().out().println(value);
        }
    }

    String versionSchema() {
        if (local != null) {
            return lastLocal().versionSchemaIn(root().schema);
        }
        return engine().load().latestVersionSchema().orElseThrow(this::none);
    }

    String migrationName() {
        if (local != null) {
            return lastLocal().name();
        }
        return engine().load().history().stream()
                .reduce((first, second) -> second)
                .map(io.pgroll.engine.MigrationInfo::name)
                .orElseThrow(this::none);
    }

    private Migration lastLocal() {
        List<Path> files = MigrationReader.migrationFiles(local);
        if (files.isEmpty()) {
            throw new PgrollException(ErrorKind.INVALID_MIGRATION, "No migration files in directory " + local);
        }
        return MigrationReader.readFile(files.get(files.size() - 1));
    }

    private PgrollException none() {
        return new PgrollException(
                ErrorKind.WRONG_STATE, "No migrations have been applied to schema \"" + root().schema + "\" yet.");
    }
}
