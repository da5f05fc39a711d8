package io.pgroll.cli;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.convert.SqlLinter;
import io.pgroll.engine.convert.SqlLinter.Finding;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.engine.model.Operation;
import io.pgroll.engine.model.RawSql;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lint [FILE...]}: the statements that would block the application or break its running version:
 * in SQL files (Flyway's, or convert's input) and in the {@code sql} operations of migration files. No
 * database is needed; exit 1 when anything is found.
 */
@Command(
        name = "lint",
        description = "Report the statements that block reads or writes, or break the running version, with the"
                + " lock each takes and the safe way: in SQL files, in the sql operations of migration files,"
                + " or in standard input")
final class LintCommand extends EngineCommand {
    @Parameters(arity = "0..*", paramLabel = "FILE", description = "SQL or migration files; standard input when none")
    List<Path> files = new ArrayList<>();

    @Option(
            names = "--pg-version",
            defaultValue = "14",
            description = "The server's major version, which decides some rules (default ${DEFAULT-VALUE})")
    int serverMajor;

    @Override
    void run() throws IOException {
        int found = 0;
        if (files.isEmpty()) {
            found += report("stdin", new String(System.in.readAllBytes(), StandardCharsets.UTF_8), false);
        }
        for (Path file : files) {
            if (MigrationReader.isMigrationFile(file.getFileName().toString())) {
                Migration migration = MigrationReader.readFile(file);
                for (int i = 0; i < migration.operations().size(); i++) {
                    Operation op = migration.operations().get(i);
                    if (op instanceof RawSql sql) {
                        found += report(file + " operation " + (i + 1) + " (sql)", sql.up(), true);
                    }
                }
            } else {
                found += report(file.toString(), Files.readString(file, StandardCharsets.UTF_8), false);
            }
        }
        if (found > 0) {
            throw new PgrollException(
                    ErrorKind.VALIDATION_FAILED,
                    found + " statement(s) would block the application or break its running version (listed on"
                            + " stdout); make them safe, or run them when nothing uses the tables");
        }
        root().err().println("Nothing found");
    }

    /** Prints the findings of one script; {@code underLockTimeout}: the tool runs it with its lock timeout. */
    private int report(String label, String sql, boolean underLockTimeout) {
        List<Finding> findings;
        try {
            findings = SqlLinter.lint(sql, serverMajor);
        } catch (IllegalArgumentException e) {
            throw new PgrollException(ErrorKind.INVALID_MIGRATION, label + ": " + e.getMessage());
        }
        int count = 0;
        for (Finding finding : findings) {
            if (underLockTimeout && finding.rule().equals(SqlLinter.MISSING_LOCK_TIMEOUT)) {
                continue;
            }
            root().out().println(label + ": " + finding);
            count++;
        }
        return count;
    }
}
