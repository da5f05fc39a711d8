package io.pgroll.cli;

import io.pgroll.engine.PgrollException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code java -jar pgroll.jar}: the pgroll-compatible command line. Exit code 0 on success, 2 for a
 * usage error, 1 (or the error kind's code) for any other failure, with one paragraph on stderr and no
 * stack trace unless {@code --verbose}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // UTF-8 whatever the platform's default: what the CLI prints is JSON and names from the database
        System.exit(run(
                args,
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                Terminal.interactive().isPresent()));
    }

    /** Runs the CLI and returns its exit code; for tests and embedding. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, false);
    }

    /**
     * Runs the CLI; {@code terminal}: a person watches, so progress is drawn in place and "Error:" is
     * red (unless NO_COLOR is set, https://no-color.org).
     */
    static int run(String[] args, PrintWriter out, PrintWriter err, boolean terminal) {
        PgrollCommand root = new PgrollCommand();
        root.terminal = terminal;
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        // a schema may well be called "migrate" or "status": `--schema migrate status` must parse
        cli.setAllowSubcommandsAsOptionParameters(true);
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // a flag's value that parsed but makes no sense is a usage error, as one that does not parse
            boolean usage = e instanceof IllegalArgumentException;
            String message = Redaction.of(message(e));
            if (usage) {
                message += (message.endsWith(".") ? "" : ".") + " Run '"
                        + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.";
            }
            err.println(root.errorLabel() + message);
            JsonOutput.printError(commandLine.getCommandSpec(), commandLine.getOut(), e, message);
            if (root.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            if (usage) {
                return commandLine.getCommandSpec().exitCodeOnInvalidInput();
            }
            return e instanceof PgrollException p ? p.kind().exitCode() : 1;
        });
        Integer unknown = unknownCommand(cli, args);
        return unknown != null ? unknown : cli.execute(args);
    }

    /**
     * A first word that is no command gets its own message listing the commands, also with {@code
     * --help} after it: picocli would print the top-level help and exit 0, which a script takes for
     * the command's help.
     */
    private static Integer unknownCommand(CommandLine cli, String[] args) {
        List<String> unmatched;
        try {
            ParseResult parsed = cli.parseArgs(args);
            if (parsed.subcommand() != null || parsed.unmatched().isEmpty()) {
                return null;
            }
            unmatched = parsed.unmatched();
        } catch (UnmatchedArgumentException e) {
            if (e.getCommandLine() != cli) {
                return null;
            }
            unmatched = e.getUnmatched();
        } catch (ParameterException e) {
            return null;
        }
        String word = unmatched.get(0);
        if (word.startsWith("-")) {
            return null;
        }
        String commands = String.join(", ", cli.getSubcommands().keySet());
        String message = "unknown command \"" + Redaction.of(word) + "\". The commands are: " + commands;
        cli.getErr()
                .println(
                        ((PgrollCommand) cli.getCommand()).errorLabel() + message + ". Run 'pgroll --help' for usage.");
        cli.getErr().flush();
        return cli.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * A usage error gets the same one paragraph as any other failure, pointing to the command's help,
     * rather than picocli's default of the message followed by the whole usage text.
     */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PgrollCommand root = (PgrollCommand) command.getCommandSpec().root().userObject();
        StringBuilder message = new StringBuilder(root.errorLabel()).append(Redaction.of(e.getMessage()));
        if (e instanceof UnmatchedArgumentException unmatched
                && !unmatched.getSuggestions().isEmpty()) {
            message.append(" (did you mean ")
                    .append(String.join(" or ", unmatched.getSuggestions()))
                    .append("?)");
        }
        message.append(". Run '")
                .append(command.getCommandSpec().qualifiedName())
                .append(" --help' for usage.");
        PrintWriter err = command.getErr();
        err.println(message);
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String message(Exception e) {
        if (e instanceof PgrollException || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
