package io.pgroll.cli;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.convert.SqlConverter;
import io.pgroll.engine.convert.SqlConverter.Conversion;
import io.pgroll.engine.model.MigrationWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code convert [FILE]}: SQL in, a migration file out, on stdout; no database is needed. */
@Command(
        name = "convert",
        description = "Convert SQL statements to a pgroll migration: reads FILE (or standard input) and prints the"
                + " migration; what it cannot infer is marked \"" + SqlConverter.PLACEHOLDER + "\" to fill in, and"
                + " each statement it keeps as a sql operation for a reason is named on stderr")
final class ConvertCommand extends EngineCommand {
    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The SQL file; standard input when absent")
    Path file;

    @Option(
            names = {"-j", "--json"},
            description = "Print the migration in JSON instead of YAML")
    boolean json;

    @Override
    void run() throws IOException {
        String label = file == null ? "standard input" : file.toString();
        String sql = file == null
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(file, StandardCharsets.UTF_8);
        Conversion conversion;
        try {
            conversion = SqlConverter.convert(sql, root().schema);
        } catch (IllegalArgumentException e) {
            throw new PgrollException(ErrorKind.INVALID_MIGRATION, label + ": " + e.getMessage());
        }
        conversion.warnings().forEach(w -> root().err().println("warning: " + label + ", " + w));
        if (conversion.operations().isEmpty()) {
            root().err().println("warning: " + label + " holds no statement to convert");
        }
        root().out().print(MigrationWriter.file(conversion.migration(null), json));
    }
}
