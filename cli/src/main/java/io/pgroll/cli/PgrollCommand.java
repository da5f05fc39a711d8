package io.pgroll.cli;

import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.Pgroll;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top command: global flags, each with its environment variable, usable before or after a subcommand.
 * An inherited option's value lands in this object wherever it stands on the command line, so the
 * subcommands read it here. The command's own scope is inherited too, so that {@code --help} and {@code
 * --version} work on every subcommand, as the usage error's hint promises.
 */
@Command(
        name = "pgroll",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        description = "Zero-downtime, reversible PostgreSQL schema migrations (pgroll-compatible).",
        subcommands = {
            InitCommand.class,
            StartCommand.class,
            CompleteCommand.class,
            RollbackCommand.class,
            StatusCommand.class,
            LatestCommand.class,
            MigrateCommand.class,
            ValidateCommand.class,
            PlanCommand.class,
            PullCommand.class,
            BaselineCommand.class,
            UpdateCommand.class,
            CreateCommand.class,
            AnalyzeCommand.class,
            ConvertCommand.class,
            LintCommand.class,
            CompletionCommand.class
        })
final class PgrollCommand {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--postgres-url",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:PGROLL_PG_URL:-postgres://postgres:postgres@localhost?sslmode=disable}",
            description = "Postgres URL: postgres://, postgresql://, jdbc:postgresql:// or libpq key=value "
                    + "(env PGROLL_PG_URL; default ${DEFAULT-VALUE})")
    String postgresUrl;

    @Option(
            names = "--schema",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:PGROLL_SCHEMA:-public}",
            description = "Postgres schema to use for the migration (env PGROLL_SCHEMA; default ${DEFAULT-VALUE})")
    String schema;

    @Option(
            names = "--pgroll-schema",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:PGROLL_STATE_SCHEMA:-pgroll}",
            description = "Postgres schema holding pgroll's state (env PGROLL_STATE_SCHEMA; default ${DEFAULT-VALUE})")
    String stateSchema;

    @Option(
            names = "--lock-timeout",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:PGROLL_LOCK_TIMEOUT:-500}",
            description =
                    "Postgres lock timeout in milliseconds for DDL (env PGROLL_LOCK_TIMEOUT; default ${DEFAULT-VALUE})")
    int lockTimeoutMillis;

    @Option(
            names = "--lock-retry-budget",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:PGROLL_LOCK_RETRY_BUDGET:-10m}",
            description = "How long a DDL statement that keeps timing out on its lock is retried before the command"
                    + " gives up, e.g. 30s, 10m (env PGROLL_LOCK_RETRY_BUDGET; default ${DEFAULT-VALUE})")
    String lockRetryBudget;

    @Option(
            names = "--role",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:PGROLL_ROLE}",
            description = "Postgres role to SET before migrating (env PGROLL_ROLE)")
    String role;

    @Option(
            names = "--use-version-schema",
            scope = ScopeType.INHERIT,
            arity = "0..1",
            defaultValue = "${env:PGROLL_USE_VERSION_SCHEMA:-true}",
            description =
                    "Create version schemas for each migration (env PGROLL_USE_VERSION_SCHEMA; default ${DEFAULT-VALUE})")
    boolean useVersionSchema;

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            arity = "0..1",
            defaultValue = "${env:PGROLL_VERBOSE:-false}",
            description = "Print the stack trace of a failure (env PGROLL_VERBOSE)")
    boolean verbose;

    /** Whether a person watches stderr on a terminal: progress is drawn, errors coloured (see {@link Main}). */
    boolean terminal;

    /** "Error: ", red on a terminal unless NO_COLOR is set (https://no-color.org). */
    String errorLabel() {
        return terminal && System.getenv("NO_COLOR") == null ? "\u001B[31mError:\u001B[0m " : "Error: ";
    }

    /** An engine configured from the global flags; the backfill options are set by the commands that have them. */
    Pgroll.Builder engine(MigrationListener listener) {
        ConnectionUrl url = ConnectionUrl.parse(postgresUrl);
        url.warnings().forEach(warning -> err().println("warning: " + warning));
        if (lockTimeoutMillis <= 0) {
            throw new IllegalArgumentException(
                    "--lock-timeout must be a positive number of milliseconds but was " + lockTimeoutMillis);
        }
        Duration retryBudget = Durations.parse(lockRetryBudget, "--lock-retry-budget");
        if (retryBudget.isZero()) {
            throw new IllegalArgumentException("--lock-retry-budget must be positive but was " + lockRetryBudget);
        }
        return Pgroll.configure()
                .url(url.jdbcUrl(), url.user(), url.password())
                .schema(schema)
                .stateSchema(stateSchema)
                .lockTimeout(Duration.ofMillis(lockTimeoutMillis))
                .lockRetryBudget(retryBudget)
                .role(role)
                .useVersionSchema(useVersionSchema)
                .listener(listener);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
