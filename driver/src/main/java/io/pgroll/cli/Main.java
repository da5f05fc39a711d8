package io.pgroll.cli;

import io.pgroll.engine.PgrollException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * {@code java -jar pgroll.jar}: the pgroll-compatible command line. Exit code 0 on success, 2 for a
 * usage error, 1 (or the error kind's code) for any other failure, with one paragraph on stderr and no
 * stack trace unless {@code --verbose}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns its exit code; for tests and embedding. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new PgrollCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PgrollCommand root =
                    (PgrollCommand) commandLine.getCommandSpec().root().userObject();
            err.println("Error: " + message(e));
            if (root.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return e instanceof PgrollException p ? p.kind().exitCode() : 1;
        });
        return cli.execute(args);
    }

    private static String message(Exception e) {
        if (e instanceof PgrollException || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
