package io.pgroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One in-process run of the CLI: its exit code and what it printed on stdout and stderr. */
record CommandRun(int exitCode, String out, String err) {

    static CommandRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandRun(code, out.toString(), err.toString());
    }

    /** Runs {@code command} with the connection flags of {@code url} and {@code schema} put before it. */
    static CommandRun against(String url, String schema, String... command) {
        List<String> args = new ArrayList<>(List.of("--postgres-url", url, "--schema", schema));
        args.addAll(List.of(command));
        return run(args.toArray(String[]::new));
    }

    /** Asserts success and returns this run, so a test can look at what it printed. */
    CommandRun succeeded() {
        assertThat(exitCode).as("exit code; stderr:%n%s", err).isZero();
        return this;
    }

    /**
     * Asserts the failure contract: a non-zero exit code, one paragraph on stderr starting with
     * "Error: ", no stack trace.
     */
    CommandRun failedWith(String... fragments) {
        assertThat(exitCode).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isNotZero();
        String error = errorParagraph();
        assertThat(error).startsWith("Error: ").contains(fragments);
        assertThat(err).as("stack trace in stderr").doesNotContain("\tat ");
        assertThat(error.strip()).as("one paragraph").doesNotContain("\n\n");
        return this;
    }

    /** The error paragraph: stderr from its "Error: " line on (progress lines may come before it). */
    String errorParagraph() {
        int at = err.indexOf("Error: ");
        assertThat(at).as("an \"Error: \" line in stderr:%n%s", err).isGreaterThanOrEqualTo(0);
        assertThat(at == 0 || err.charAt(at - 1) == '\n')
                .as("\"Error: \" starts a line")
                .isTrue();
        return err.substring(at);
    }

    JsonNode json() {
        try {
            return new ObjectMapper().readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException("stdout is not JSON: " + out, e);
        }
    }

    /** Writes a migration file and returns its path. */
    static Path write(Path dir, String fileName, String content) {
        try {
            return Files.writeString(dir.resolve(fileName), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
