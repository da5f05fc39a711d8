package io.pgroll.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgroll.engine.PgrollException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code -j/--json} of the commands that report a result: the result, or the error, as one JSON object
 * on stdout for scripts, beside the lines for people on stderr. A command's mixin field must be named
 * {@value #MIXIN} for the error handler to find it.
 */
final class JsonOutput {
    static final String MIXIN = "jsonOutput";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(
            names = {"-j", "--json"},
            description = "Print the result (or the error) as a JSON object on stdout")
    boolean json;

    /** Prints {@code result} when --json was given; the keys in the order given. */
    void print(PrintWriter out, Object... keysAndValues) {
        if (!json) {
            return;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            result.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        write(out, result);
    }

    /** Prints the error as JSON when the failed command has --json and it was given. */
    static void printError(CommandSpec command, PrintWriter out, Exception e, String message) {
        CommandSpec mixin = command.mixins().get(MIXIN);
        if (mixin == null || !((JsonOutput) mixin.userObject()).json) {
            return;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        if (e instanceof PgrollException p) {
            error.put("kind", p.kind().name());
            error.put("sqlState", p.sqlState());
        }
        write(out, Map.of("error", error));
    }

    private static void write(PrintWriter out, Map<String, ?> object) {
        try {
            out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(object));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
