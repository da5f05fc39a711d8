package io.pgroll.engine;

import io.pgroll.engine.internal.EngineSettings;
import io.pgroll.engine.internal.backfill.BackfillPacing;
import io.pgroll.engine.internal.command.BaselineCommand;
import io.pgroll.engine.internal.command.CommandExecutor;
import io.pgroll.engine.internal.command.CompleteCommand;
import io.pgroll.engine.internal.command.InitCommand;
import io.pgroll.engine.internal.command.MigrateCommand;
import io.pgroll.engine.internal.command.PlanCommand;
import io.pgroll.engine.internal.command.RollbackCommand;
import io.pgroll.engine.internal.command.StartCommand;
import io.pgroll.engine.internal.command.StatusCommand;
import io.pgroll.engine.internal.command.ValidateCommand;
import io.pgroll.engine.internal.operations.VersionSchemas;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The engine's entry point: zero-downtime, reversible migrations of one PostgreSQL schema.
 *
 * <pre>{@code
 * Pgroll pgroll = Pgroll.configure().dataSource(dataSource).schema("public").load();
 * pgroll.init();
 * pgroll.start(MigrationReader.readFile(Path.of("migrations/02_add_rating.yaml")));
 * // ... deploy the new application version, pinned to pgroll.start(...).versionSchema() ...
 * pgroll.complete();
 * }</pre>
 *
 * An instance is immutable and thread-safe; each call opens its own connection. Methods return values
 * and never print: progress, lock waits and notices go to the {@link MigrationListener}. Failures are
 * {@link PgrollException}s whose message names the file, the operation and the object at fault.
 */
public final class Pgroll {
    private final EngineSettings settings;
    private final CommandExecutor executor;

    private Pgroll(EngineSettings settings) {
        this.settings = settings;
        this.executor = new CommandExecutor(settings);
    }

    public static Builder configure() {
        return new Builder();
    }

    /** Creates the state schema if it does not exist; returns whether outside DDL will be recorded (superuser). */
    public boolean init() {
        return new InitCommand(executor).init();
    }

    /** Starts a migration: expands the schema and publishes the new version schema. */
    public StartResult start(Migration migration) {
        return start(migration, false);
    }

    /** Starts a migration and, when {@code complete} is true, completes it at once. */
    public StartResult start(Migration migration, boolean complete) {
        return new StartCommand(executor).start(migration, sourceOf(migration), complete);
    }

    /** Reads a migration file and starts it; errors name the file. */
    public StartResult start(Path file, boolean complete) {
        return new StartCommand(executor)
                .start(MigrationReader.readFile(file), file.getFileName().toString(), complete);
    }

    /** Completes the migration in progress: drops the previous version schema, then contracts. */
    public String complete() {
        return new CompleteCommand(executor).complete();
    }

    /** Undoes the migration in progress, keeping every row and value the previous version can see. */
    public String rollback() {
        return new RollbackCommand(executor).rollback(false);
    }

    /**
     * Undoes the migration in progress like {@link #rollback()}, except that a {@code sql} operation
     * whose {@code down} fails is skipped (reported to the listener) and what its {@code up} made is left
     * as it is: the way out when a {@code down} can never succeed, which changes nothing else.
     */
    public String rollbackSkippingFailingSqlDown() {
        return new RollbackCommand(executor).rollback(true);
    }

    public Status status() {
        return new StatusCommand(executor).status();
    }

    /** The latest version schema's suffix (e.g. {@code 02_add_rating}), if any migration was started. */
    public Optional<String> latestVersion() {
        return new StatusCommand(executor).latestVersion();
    }

    /** The full name of the latest version schema (e.g. {@code public_02_add_rating}), if any. */
    public Optional<String> latestVersionSchema() {
        return latestVersion().map(v -> VersionSchemas.name(settings.schema(), v));
    }

    /**
     * The migrations whose version schemas exist now, newest first: the latest, and the one before it
     * while the latest is in progress. An application pinned to any other version cannot connect.
     */
    public List<String> liveVersions() {
        return new StatusCommand(executor).liveVersions();
    }

    /** The recorded history of the schema, oldest first. */
    public List<MigrationInfo> history() {
        return new StatusCommand(executor).history();
    }

    /**
     * Records the schema as it is now as the starting point of its history, under {@code name}, changing
     * nothing in it: how a database whose schema was made without this tool (or whose history is long)
     * starts being migrated by it. From then on {@link #migrate}, {@link #deploy} and {@code pull}
     * consider only the history from this baseline on: a directory of migrations holds a file named
     * after it (to be filled with the schema's DDL, which a new database runs as an ordinary {@code sql}
     * migration) and the migrations after it. Refused while a migration is in progress.
     */
    public void baseline(String name) {
        new BaselineCommand(executor).baseline(name);
    }

    /**
     * The recorded history from the newest baseline on, as the migration files that reproduce it: what
     * {@code pull} writes. A baseline is its placeholder; DDL recorded from outside the tool is left out
     * (the listener is told).
     */
    public List<Migration> recordedMigrations() {
        return new StatusCommand(executor).recordedMigrations();
    }

    /** The schema as the engine reads it, in pgroll's JSON: tables, columns, indexes, constraints. */
    public String analyze() {
        return new StatusCommand(executor).analyze();
    }

    /**
     * What the migration's start, complete and rollback would run, each statement with its locks, scans
     * and rewrites, found by rehearsing them on an empty copy of the schema; nothing is left changed.
     */
    public Plan plan(Migration migration) {
        return new PlanCommand(executor).plan(migration, sourceOf(migration));
    }

    /** As {@link #plan(Migration)}, for a migration file; errors name the file. */
    public Plan plan(Path file) {
        return new PlanCommand(executor)
                .plan(MigrationReader.readFile(file), file.getFileName().toString());
    }

    /** Checks a migration against the current schema; throws a {@link PgrollException} if it does not fit. */
    public void validate(Migration migration) {
        new ValidateCommand(executor).validate(migration, sourceOf(migration));
    }

    /** Reads a migration file and checks it against the current schema; errors name the file. */
    public void validate(Path file) {
        new ValidateCommand(executor)
                .validate(MigrationReader.readFile(file), file.getFileName().toString());
    }

    /**
     * Applies the migration files of a directory that come after the recorded history, in file-name
     * order, completing each but the last (all of them when {@code completeLast}). Fails, changing
     * nothing, when the directory disagrees with the history (a recorded migration missing, renamed or
     * changed since it was applied). Returns the names of the migrations started.
     */
    public List<String> migrate(Path directory, boolean completeLast) {
        return new MigrateCommand(executor).migrate(read(directory), completeLast, directory.toString());
    }

    /**
     * Brings the database to the newest of the migrations an application build ships, as the Spring
     * Boot starter does at startup: nothing when it is applied or active already, or when the history
     * goes further (an older build); otherwise the pending ones start in order, each but the last
     * completed, the last left in progress for the instances of the build before. A migration still in
     * progress is completed first only when {@code completeInProgress} allows it (that retires the
     * version the build before uses); else nothing changes and the exception says why. Returns the
     * names of the migrations started. Instances starting at once wait for each other on the migration
     * lock, and the later ones find nothing to do.
     */
    public List<String> deploy(List<Migration> migrations, String source, boolean completeInProgress) {
        return new MigrateCommand(executor).deploy(migrations, source, completeInProgress);
    }

    /** The migrations of {@code migrations} not yet applied, after checking the history is their prefix. */
    public List<Migration> pendingMigrations(List<Migration> migrations, String source) {
        return new MigrateCommand(executor).pending(migrations, source);
    }

    private static List<Migration> read(Path directory) {
        List<Migration> migrations = new ArrayList<>();
        for (Path file : MigrationReader.migrationFiles(directory)) {
            migrations.add(MigrationReader.readFile(file));
        }
        return migrations;
    }

    private static String sourceOf(Migration migration) {
        return "migration \"" + migration.name() + "\"";
    }

    /**
     * Configures an engine. Each method sets one option and returns this builder; {@link #load()} copies
     * the configuration, so a loaded engine never changes under you.
     */
    public static final class Builder {
        private DataSource dataSource;
        private String schema = "public";
        private String stateSchema = "pgroll";
        private Duration lockTimeout = Duration.ofMillis(500);
        private Duration lockRetryBudget = Duration.ofMinutes(10);
        private Duration concurrentStatementTimeout = Duration.ofHours(1);
        private Duration migratorWait = Duration.ofMinutes(10);
        private String role;
        private int backfillBatchSize = 1000;
        private Duration backfillBatchTime = Duration.ofMillis(100);
        private Duration backfillBatchDelay = Duration.ZERO;
        private Duration backfillMaxReplicaLag;
        private long backfillMaxReplicaLagBytes;
        private boolean useVersionSchema = true;
        private boolean acceptOutsideDdl;
        private MigrationListener listener = MigrationListener.NONE;

        private Builder() {}

        /** The database. Required (or {@link #url}). */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** A {@code jdbc:postgresql:} URL with its credentials, instead of a DataSource. */
        public Builder url(String jdbcUrl, String user, String password) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(jdbcUrl);
            if (user != null) {
                ds.setUser(user);
            }
            if (password != null) {
                ds.setPassword(password);
            }
            this.dataSource = ds;
            return this;
        }

        /** The schema to migrate. Default {@code public}. */
        public Builder schema(String schema) {
            this.schema = requireName(schema, "schema");
            return this;
        }

        /** The schema holding the migration history. Default {@code pgroll}. */
        public Builder stateSchema(String stateSchema) {
            this.stateSchema = requireName(stateSchema, "stateSchema");
            return this;
        }

        /** The longest a statement may wait for a lock that blocks reads or writes. Default 500 ms. */
        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = requirePositive(lockTimeout, "lockTimeout");
            return this;
        }

        /** How long a statement that keeps timing out on its lock is retried. Default 10 minutes. */
        public Builder lockRetryBudget(Duration budget) {
            this.lockRetryBudget = requirePositive(budget, "lockRetryBudget");
            return this;
        }

        /** Bound of CREATE INDEX CONCURRENTLY and VALIDATE CONSTRAINT lock waits. Default 1 hour. */
        public Builder concurrentStatementTimeout(Duration timeout) {
            this.concurrentStatementTimeout = requirePositive(timeout, "concurrentStatementTimeout");
            return this;
        }

        /** How long to wait for another migrator of the same schema to finish. Default 10 minutes. */
        public Builder migratorWait(Duration wait) {
            this.migratorWait = Objects.requireNonNull(wait, "migratorWait");
            return this;
        }

        /** A role to SET before migrating. Default none. */
        public Builder role(String role) {
            this.role = role;
            return this;
        }

        /**
         * Rows per backfill batch, every batch the same, as in pgroll. By default the backfill sizes its
         * batches itself: it begins with 1000 rows and grows or shrinks the batches so that each takes
         * about {@link #backfillBatchTime}, which bounds how long a batch holds its rows' locks.
         */
        public Builder backfillBatchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("backfillBatchSize must be at least 1 but was " + size);
            }
            this.backfillBatchSize = size;
            this.backfillBatchTime = null;
            return this;
        }

        /**
         * The time each backfill batch should take, its size adapted to it: the longest an application
         * writer of one of the batch's rows waits for it. Default 100 ms. Replaces a fixed {@link
         * #backfillBatchSize}.
         */
        public Builder backfillBatchTime(Duration time) {
            this.backfillBatchTime = requirePositive(time, "backfillBatchTime");
            this.backfillBatchSize = 1000;
            return this;
        }

        /** Pause between backfill batches. Default none. */
        public Builder backfillBatchDelay(Duration delay) {
            this.backfillBatchDelay = Objects.requireNonNull(delay, "backfillBatchDelay");
            return this;
        }

        /**
         * The replay lag past which a standby holds the backfill: before each batch, the backfill waits
         * until every standby streaming from the database (as {@code pg_stat_replication} lists them) is
         * within it. Default none. Needs the privileges of {@code pg_read_all_stats} (e.g. {@code GRANT
         * pg_monitor}); start refuses, changing nothing, when the migrating role lacks them. A standby
         * that is not connected is not seen.
         */
        public Builder backfillMaxReplicaLag(Duration lag) {
            this.backfillMaxReplicaLag = requirePositive(lag, "backfillMaxReplicaLag");
            return this;
        }

        /**
         * The WAL a standby may have left to replay before it holds the backfill, in bytes, as {@link
         * #backfillMaxReplicaLag} does for time (both may be set; either holds it). Default none.
         */
        public Builder backfillMaxReplicaLagBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("backfillMaxReplicaLagBytes must be at least 1 but was " + bytes);
            }
            this.backfillMaxReplicaLagBytes = bytes;
            return this;
        }

        /** Whether start publishes a version schema of views. Default true. */
        public Builder useVersionSchema(boolean use) {
            this.useVersionSchema = use;
            return this;
        }

        /**
         * Whether {@code complete} and {@code rollback} go on when the migrated schema's tables changed
         * outside the tool since the active migration's start finished (a column added, a table renamed or
         * dropped, an index made by hand). Default false: they refuse, naming each change and changing
         * nothing. Set it only once each change is known to touch nothing the migration works on; the
         * changes are then reported as a notice.
         */
        public Builder acceptOutsideDdl(boolean accept) {
            this.acceptOutsideDdl = accept;
            return this;
        }

        /** Receives progress, lock waits and notices. Default: ignores them. */
        public Builder listener(MigrationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Pgroll load() {
            if (dataSource == null) {
                throw new IllegalStateException(
                        "Pgroll needs a database: call dataSource(...) or url(...) before load()");
            }
            return new Pgroll(new EngineSettings(
                    dataSource,
                    schema,
                    stateSchema,
                    lockTimeout,
                    lockRetryBudget,
                    concurrentStatementTimeout,
                    migratorWait,
                    role,
                    new BackfillPacing(
                            backfillBatchSize,
                            backfillBatchTime,
                            backfillBatchDelay,
                            backfillMaxReplicaLag,
                            backfillMaxReplicaLagBytes),
                    useVersionSchema,
                    acceptOutsideDdl,
                    listener));
        }

        private static String requireName(String name, String what) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(what + " must not be empty");
            }
            return name;
        }

        private static Duration requirePositive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive but was " + d);
            }
            return d;
        }
    }
}
