package io.pgroll.engine.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Jackson's and SnakeYAML's parse failures as one-line messages with the line and column. */
final class SyntaxErrors {
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

    private SyntaxErrors() {}

    static MigrationFormatException of(String label, String format, JacksonException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                Mark mark = yaml.getProblemMark();
                return new MigrationFormatException(
                        label + ": YAML syntax error at " + position(mark.getLine() + 1, mark.getColumn() + 1) + ": "
                                + firstLine(yaml.getProblem()),
                        e);
            }
        }
        String problem = problem(e, format);
        JsonLocation location = e.getLocation();
        String where = location != null && location.getLineNr() > 0
                ? " at " + position(location.getLineNr(), location.getColumnNr())
                : "";
        return new MigrationFormatException(label + ": " + format + " syntax error" + where + ": " + problem, e);
    }

    private static String problem(JacksonException e, String format) {
        String problem = firstLine(e.getOriginalMessage());
        if (problem.startsWith("Duplicate field '") && problem.endsWith("'")) {
            return "duplicate key "
                    + Names.quote(problem.substring("Duplicate field '".length(), problem.length() - 1));
        }
        if (problem.startsWith("Document nesting depth")) {
            return "nested more than " + MigrationReader.MAX_NESTING + " levels deep; a migration is a few levels deep";
        }
        if (e instanceof MismatchedInputException && problem.startsWith("Trailing token")) {
            return format.equals("YAML")
                    ? "a second YAML document; a migration file holds one"
                    : "content after the end of the migration object";
        }
        // Jackson names nested positions as "[Source: …; line: 1, column: 16]": keep the position only
        problem = SOURCE.matcher(problem).replaceAll("line $1, column $2");
        return problem.contains("com.fasterxml") ? "cannot be parsed" : problem;
    }

    private static String position(int line, int column) {
        return "line " + line + ", column " + column;
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "cannot be parsed";
        }
        String line = message.strip();
        int newline = line.indexOf('\n');
        return newline < 0 ? line : line.substring(0, newline).strip();
    }
}
