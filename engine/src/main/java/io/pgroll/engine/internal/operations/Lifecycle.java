package io.pgroll.engine.internal.operations;

import io.pgroll.engine.MigrationInfo;
import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.StartResult;
import io.pgroll.engine.Status;
import io.pgroll.engine.internal.schema.Schema;
import io.pgroll.engine.internal.schema.SchemaReader;
import io.pgroll.engine.internal.state.MigrationRecord;
import io.pgroll.engine.internal.state.StateStore;
import io.pgroll.engine.internal.state.StateStore.Phase;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.engine.model.Operation;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The commands of the engine: each opens a session, checks the state, runs the operations' verbs in
 * order and records the outcome. The public {@code Pgroll} entry point delegates here.
 */
public final class Lifecycle {
    private final EngineSettings settings;

    public Lifecycle(EngineSettings settings) {
        this.settings = settings;
    }

    /** Creates the state schema; returns whether DDL made outside the tool will be recorded. */
    public boolean init() {
        try (MigrationSession session = MigrationSession.open(settings, "init")) {
            boolean superuser = session.state().init(session.connection());
            if (!superuser) {
                settings.listener()
                        .notice("The role is not a superuser, so the event triggers that record DDL made outside "
                                + "pgroll were not installed: such changes will not appear in the history.");
            }
            return superuser;
        } catch (SQLException e) {
            throw databaseError("init", e);
        }
    }

    /** Checks a migration against the current schema without changing anything. */
    public void validate(Migration migration, String source) {
        try (MigrationSession session = MigrationSession.open(settings, "validate")) {
            session.state().requireInitialized(session.connection());
            validate(session, migration, source, catalog(session));
        } catch (SQLException e) {
            throw databaseError("validate " + source, e);
        }
    }

    public StartResult start(Migration migration, String source, boolean complete) {
        return locked("start " + migration.name(), session -> start(session, migration, source, complete));
    }

    private StartResult start(MigrationSession session, Migration migration, String source, boolean complete)
            throws SQLException {
        Optional<StartResult> already = alreadyApplied(session, migration, source);
        if (already.isPresent()) {
            if (complete && !already.get().completed()) {
                complete(session);
                return new StartResult(migration.name(), already.get().versionSchema(), true, true);
            }
            return already.get();
        }
        Schema before = catalog(session);
        validate(session, migration, source, before);
        String versionSchema = versionSchemaOf(migration);
        session.state()
                .recordStart(
                        session.connection(),
                        settings.schema(),
                        migration.name(),
                        MigrationReader.toJson(migration),
                        "pgroll");
        try {
            runStart(session, migration, before, versionSchema);
        } catch (SQLException | RuntimeException e) {
            throw startFailed(session, source, e);
        }
        if (complete) {
            complete(session);
        }
        return new StartResult(migration.name(), settings.useVersionSchema() ? versionSchema : null, false, complete);
    }

    private Optional<StartResult> alreadyApplied(MigrationSession session, Migration migration, String source)
            throws SQLException {
        StateStore state = session.state();
        Optional<MigrationRecord> active = state.activeMigration(session.connection(), settings.schema());
        if (active.isPresent() && !active.get().name().equals(migration.name())) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    source + ": cannot start migration \"" + migration.name() + "\": migration \""
                            + active.get().name()
                            + "\" is still in progress on schema \"" + settings.schema()
                            + "\". Complete it (`pgroll complete`) or roll it back (`pgroll rollback`) first; nothing "
                            + "was changed.");
        }
        Optional<MigrationRecord> recorded = state.migration(session.connection(), settings.schema(), migration.name());
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        if (!recorded.get().done()
                && state.phase(session.connection(), settings.schema(), migration.name(), Phase.STARTED)
                        .isEmpty()) {
            throw interruptedStart(migration.name());
        }
        if (!sameContent(recorded.get(), migration)) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    source + ": a migration named \"" + migration.name() + "\" is already "
                            + (recorded.get().done() ? "applied" : "in progress") + " on schema \"" + settings.schema()
                            + "\" with different content. Give the changed migration a new name; nothing was changed.");
        }
        return Optional.of(new StartResult(
                migration.name(),
                versionSchemaOf(migration),
                true,
                recorded.get().done()));
    }

    private static boolean sameContent(MigrationRecord recorded, Migration migration) {
        try {
            return MigrationReader.readDocument(recorded.migration(), "state").equals(migration);
        } catch (PgrollException e) {
            return false;
        }
    }

    private void runStart(MigrationSession session, Migration migration, Schema before, String versionSchema)
            throws SQLException {
        List<Operation> operations = migration.operations();
        VirtualSchema schema = VirtualSchema.of(before);
        VirtualSchema newVersion = replay(before, operations);
        for (int i = 0; i < operations.size(); i++) {
            Operation operation = operations.get(i);
            OperationAction action = Operations.of(operation);
            settings.listener().operation(migration.name(), i + 1, operation.describe(), "start");
            try {
                action.start(context(session, schema, newVersion, migration));
            } catch (SQLException e) {
                throw new OperationFailure(i, operation, e);
            }
            action.apply(schema);
            if (action instanceof RawSqlOperation sql && sql.runsAtStart()) {
                schema = replay(catalog(session), operations.subList(0, i + 1));
            }
        }
        if (settings.useVersionSchema()) {
            VersionSchemas.publish(context(session, schema, schema, migration), versionSchema);
        }
        session.state().recordPhase(session.connection(), settings.schema(), migration.name(), Phase.STARTED);
    }

    private PgrollException startFailed(MigrationSession session, String source, Exception e) {
        String cause = e instanceof OperationFailure f
                ? "operation " + (f.index + 1) + " (" + f.operation.describe() + ") failed: " + sqlMessage(f.cause())
                : e instanceof SQLException sql ? sqlMessage(sql) : String.valueOf(e.getMessage());
        String outcome;
        try {
            // a raw sql operation's `down` must not run for an `up` that never ran
            rollback(session, e instanceof OperationFailure f ? f.index + 1 : Integer.MAX_VALUE);
            outcome = "Everything it had done was rolled back; nothing was changed.";
        } catch (SQLException | RuntimeException rollbackError) {
            outcome = "Rolling it back failed too (" + rollbackError.getMessage()
                    + "); run `pgroll rollback` once the cause is fixed.";
        }
        Throwable root = e instanceof OperationFailure f ? f.getCause() : e;
        return new PgrollException(
                ErrorKind.DATABASE_ERROR, source + ": start failed: " + cause + ". " + outcome, root);
    }

    /** Completes the active migration; returns its name. */
    public String complete() {
        return locked("complete", this::complete);
    }

    private String complete(MigrationSession session) throws SQLException {
        Migration migration = activeMigration(session, "complete");
        VirtualSchema newVersion = replay(catalog(session), migration.operations());
        ExecutionContext context = context(session, newVersion, newVersion, migration);
        if (session.state()
                .phase(session.connection(), settings.schema(), migration.name(), Phase.STARTED)
                .isEmpty()) {
            throw interruptedStart(migration.name());
        }
        session.state().recordPhase(session.connection(), settings.schema(), migration.name(), Phase.COMPLETING);
        // The previous version goes first: its views may read what the operations drop.
        Optional<String> previous = session.state().versionSchema(session.connection(), settings.schema(), 1);
        if (previous.isPresent() && settings.useVersionSchema()) {
            VersionSchemas.drop(context, VersionSchemas.name(settings.schema(), previous.get()));
        }
        // With the old version gone, its writes need no translating any more: its triggers go first, so
        // that none is left reading a column an earlier operation's complete has just dropped.
        context.executor().inTransaction(Catalog.dropUpTriggers(context));
        List<Operation> operations = migration.operations();
        for (int i = 0; i < operations.size(); i++) {
            settings.listener()
                    .operation(migration.name(), i + 1, operations.get(i).describe(), "complete");
            if (session.state().operationCompleted(session.connection(), settings.schema(), migration.name(), i)) {
                continue; // an earlier run of this complete did it
            }
            try {
                Operations.of(operations.get(i)).complete(contextOf(session, migration, i, newVersion));
                session.state().recordOperationCompleted(session.connection(), settings.schema(), migration.name(), i);
            } catch (SQLException e) {
                throw operationFailed(
                        "complete",
                        migration,
                        i,
                        e,
                        "complete only moves forward: fix the cause and run `pgroll complete` again");
            }
        }
        session.state().recordComplete(session.connection(), settings.schema(), migration.name());
        return migration.name();
    }

    /** Rolls back the active migration; returns its name. */
    public String rollback() {
        return locked("rollback", this::rollback);
    }

    private String rollback(MigrationSession session) throws SQLException {
        return rollback(session, Integer.MAX_VALUE);
    }

    /** Rolls back the first {@code started} operations of the active migration (all, after a complete start). */
    private String rollback(MigrationSession session, int started) throws SQLException {
        Migration migration = activeMigration(session, "roll back");
        Optional<java.time.OffsetDateTime> completing =
                session.state().phase(session.connection(), settings.schema(), migration.name(), Phase.COMPLETING);
        if (completing.isPresent()) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    "Migration \"" + migration.name() + "\" cannot be rolled back: its complete began at "
                            + completing.get() + " and already removed the previous version. Run `pgroll complete` "
                            + "again to finish it.");
        }
        VirtualSchema newVersion = replay(catalog(session), migration.operations());
        // The new version's schema goes first, so that no client pins to a version being torn down.
        if (settings.useVersionSchema()) {
            VersionSchemas.drop(context(session, newVersion, newVersion, migration), versionSchemaOf(migration));
        }
        List<Operation> operations = migration.operations();
        for (int i = Math.min(started, operations.size()) - 1; i >= 0; i--) {
            settings.listener()
                    .operation(migration.name(), i + 1, operations.get(i).describe(), "rollback");
            try {
                Operations.of(operations.get(i)).rollback(contextOf(session, migration, i, newVersion));
            } catch (SQLException e) {
                throw operationFailed("rollback", migration, i, e, "fix the cause and run `pgroll rollback` again");
            }
        }
        session.state().recordRollback(session.connection(), settings.schema(), migration.name());
        return migration.name();
    }

    public Status status() {
        try (MigrationSession session = MigrationSession.open(settings, "status")) {
            session.state().requireInitialized(session.connection());
            Optional<MigrationRecord> latest = session.state().latestMigration(session.connection(), settings.schema());
            if (latest.isEmpty()) {
                return new Status(settings.schema(), "", Status.State.NO_MIGRATIONS);
            }
            String version = session.state()
                    .versionSchema(session.connection(), settings.schema(), 0)
                    .orElse("");
            return new Status(
                    settings.schema(), version, latest.get().done() ? Status.State.COMPLETE : Status.State.IN_PROGRESS);
        } catch (SQLException e) {
            throw databaseError("status", e);
        }
    }

    public List<MigrationInfo> history() {
        try (MigrationSession session = MigrationSession.open(settings, "history")) {
            session.state().requireInitialized(session.connection());
            List<MigrationInfo> infos = new ArrayList<>();
            for (MigrationRecord r : session.state().history(session.connection(), settings.schema())) {
                infos.add(new MigrationInfo(
                        r.name(), r.parent(), r.migrationType(), r.done(), r.createdAt(), r.migration()));
            }
            return infos;
        } catch (SQLException e) {
            throw databaseError("history", e);
        }
    }

    /** The version schema suffix of the latest migration, if any. */
    public Optional<String> latestVersion() {
        try (MigrationSession session = MigrationSession.open(settings, "latest")) {
            session.state().requireInitialized(session.connection());
            return session.state().versionSchema(session.connection(), settings.schema(), 0);
        } catch (SQLException e) {
            throw databaseError("latest", e);
        }
    }

    // ---- shared steps ----

    /** A command that changes the schema: one session, holding the schema's migration lock throughout. */
    private <T> T locked(String command, SessionWork<T> work) {
        try (MigrationSession session = MigrationSession.open(settings, command)) {
            session.lock();
            session.state().requireInitialized(session.connection());
            return work.run(session);
        } catch (SQLException e) {
            throw databaseError(command, e);
        }
    }

    @FunctionalInterface
    private interface SessionWork<T> {
        T run(MigrationSession session) throws SQLException;
    }

    private Migration activeMigration(MigrationSession session, String verb) throws SQLException {
        MigrationRecord active = session.state()
                .activeMigration(session.connection(), settings.schema())
                .orElseThrow(() -> new PgrollException(
                        ErrorKind.WRONG_STATE,
                        "There is no migration in progress on schema \"" + settings.schema() + "\" to " + verb
                                + ". `pgroll status` shows where the history stands."));
        return MigrationReader.readDocument(active.migration(), "the active migration");
    }

    private void validate(MigrationSession session, Migration migration, String source, Schema catalog)
            throws SQLException {
        requireSchema(session, source);
        String versionSchema = versionSchemaOf(migration);
        if (versionSchema.getBytes(StandardCharsets.UTF_8).length > VersionSchemas.MAX_IDENTIFIER_BYTES) {
            throw new PgrollException(
                    ErrorKind.VALIDATION_FAILED,
                    source + ": the version schema name \"" + versionSchema + "\" is longer than 63 bytes, so "
                            + "PostgreSQL would truncate it; shorten the migration name or set a shorter version_schema.");
        }
        List<String> versionSchemas = new ArrayList<>();
        for (MigrationRecord r : session.state().history(session.connection(), settings.schema())) {
            if (r.migrationType().equals("pgroll")) {
                versionSchemas.add(versionSchemaOf(MigrationReader.readDocument(r.migration(), "the history")));
            }
        }
        if (versionSchemas.contains(versionSchema) || Catalog.schemaExists(session.connection(), versionSchema)) {
            throw new PgrollException(
                    ErrorKind.VALIDATION_FAILED,
                    source + ": the version schema \"" + versionSchema + "\" "
                            + (versionSchemas.contains(versionSchema)
                                    ? "was already used by an earlier migration"
                                    : "already exists in the database")
                            + "; clients tell versions apart by it, so give this migration another name or "
                            + "version_schema. Nothing was changed.");
        }
        ValidationContext context =
                new ValidationContext(VirtualSchema.of(catalog), session.connection(), versionSchemas);
        List<Operation> operations = migration.operations();
        for (int i = 0; i < operations.size(); i++) {
            Operation operation = operations.get(i);
            OperationAction action = Operations.of(operation);
            try {
                action.validate(context);
            } catch (InvalidOperationException e) {
                throw new PgrollException(
                        ErrorKind.VALIDATION_FAILED,
                        source + ": operation " + (i + 1) + " (" + operation.describe() + "): " + e.getMessage()
                                + ". Nothing was changed.");
            }
            action.apply(context.schema());
        }
    }

    private void requireSchema(MigrationSession session, String source) throws SQLException {
        try (PreparedStatement ps =
                session.connection().prepareStatement("SELECT to_regnamespace(quote_ident(?)) IS NULL")) {
            ps.setString(1, settings.schema());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    throw new PgrollException(
                            ErrorKind.VALIDATION_FAILED,
                            source + ": schema \"" + settings.schema() + "\" does not exist in this database. Create "
                                    + "it, or name the schema to migrate with --schema; nothing was changed.");
                }
            }
        }
    }

    private VirtualSchema replay(Schema catalog, List<Operation> operations) {
        VirtualSchema schema = VirtualSchema.of(catalog);
        for (Operation operation : operations) {
            Operations.of(operation).apply(schema);
        }
        return schema;
    }

    private Schema catalog(MigrationSession session) throws SQLException {
        return SchemaReader.read(session.connection(), settings.stateSchema(), settings.schema());
    }

    private ExecutionContext context(
            MigrationSession session, VirtualSchema schema, VirtualSchema newVersion, Migration migration) {
        return new ExecutionContext(
                session.executor(), settings, schema, newVersion, versionSchemaOf(migration), migration.name());
    }

    /**
     * The context of operation {@code index} in complete or rollback: the schema replayed from the
     * catalog as it is now through the operations up to this one. Now, because the completes of the
     * operations before it may have renamed what it works on (a table renamed earlier in the migration).
     */
    private ExecutionContext contextOf(
            MigrationSession session, Migration migration, int index, VirtualSchema newVersion) throws SQLException {
        return context(
                session, replay(catalog(session), migration.operations().subList(0, index + 1)), newVersion, migration);
    }

    private String versionSchemaOf(Migration migration) {
        String version =
                migration.versionSchema() == null || migration.versionSchema().isBlank()
                        ? migration.name()
                        : migration.versionSchema();
        return VersionSchemas.name(settings.schema(), version);
    }

    static String sqlMessage(SQLException e) {
        // pgJDBC puts Detail, Hint and Position on lines of their own; a one-paragraph error keeps them inline
        String message = e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getMessage().strip().replaceAll("\\s*\\R\\s*", "; ");
        return e.getSQLState() == null ? message : message + " [SQLSTATE " + e.getSQLState() + "]";
    }

    private PgrollException interruptedStart(String migration) {
        return new PgrollException(
                ErrorKind.WRONG_STATE,
                "The start of migration \"" + migration + "\" on schema \"" + settings.schema() + "\" was "
                        + "interrupted before it finished, so it can neither be completed nor started again as it "
                        + "is. Run `pgroll rollback`, then start it again.");
    }

    private static PgrollException operationFailed(
            String phase, Migration migration, int index, SQLException e, String wayOut) {
        return new PgrollException(
                ErrorKind.DATABASE_ERROR,
                phase + " of migration \"" + migration.name() + "\": operation " + (index + 1) + " ("
                        + migration.operations().get(index).describe() + ") failed: " + sqlMessage(e) + ". " + wayOut
                        + ".",
                e);
    }

    private static PgrollException databaseError(String command, SQLException e) {
        return new PgrollException(ErrorKind.DATABASE_ERROR, command + " failed: " + sqlMessage(e), e);
    }

    /** Carries which operation failed out of the loop, with the database's own error as cause. */
    private static final class OperationFailure extends RuntimeException {
        private final int index;
        private final transient Operation operation;

        OperationFailure(int index, Operation operation, SQLException cause) {
            super(cause.getMessage(), cause);
            this.index = index;
            this.operation = operation;
        }

        SQLException cause() {
            return (SQLException) getCause();
        }
    }
}
