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
import io.pgroll.engine.model.RawSql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
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
        if (!recorded.get().done()) {
            refuseIfRollingBack(session, migration.name(), "started again");
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
            String startRecord =
                    session.state().recordOperationStartedStatement(settings.schema(), migration.name(), i);
            try {
                action.start(context(session, schema, newVersion, migration, startRecord));
                session.state().recordOperationStarted(session.connection(), settings.schema(), migration.name(), i);
            } catch (SQLException | RuntimeException e) {
                throw new OperationFailure(i, operation, e);
            }
            action.apply(schema);
            if (action instanceof RawSqlOperation sql && sql.runsAtStart()) {
                schema = replay(catalog(session), operations.subList(0, i + 1));
            }
        }
        if (settings.useVersionSchema()) {
            VersionSchemas.publish(context(session, schema, schema, migration, null), versionSchema);
        }
        session.state().recordPhase(session.connection(), settings.schema(), migration.name(), Phase.STARTED);
    }

    /**
     * Undoes a start that failed: the operations whose start finished are rolled back (the last first),
     * the one that failed only loses what it itself left behind, and those after it never ran. The
     * message says which happened, since the one that failed may have failed on an object the user had.
     */
    private PgrollException startFailed(MigrationSession session, String source, Exception e) {
        String cause = e instanceof OperationFailure f
                ? "operation " + (f.index + 1) + " (" + f.operation.describe() + ") failed: " + message(f.getCause())
                : message(e);
        String outcome;
        try {
            Undone undone = rollback(session, false);
            outcome = undone.summary();
        } catch (PgrollException | SQLException rollbackError) {
            outcome = "Undoing it failed too: " + message(rollbackError)
                    + " The migration stays in progress and can only be rolled back.";
        }
        Throwable root = e instanceof OperationFailure f ? f.getCause() : e;
        return new PgrollException(
                ErrorKind.DATABASE_ERROR, source + ": start failed: " + cause + ". " + outcome, root);
    }

    private static String message(Throwable e) {
        return e instanceof SQLException sql ? sqlMessage(sql) : String.valueOf(e.getMessage());
    }

    /** Completes the active migration; returns its name. */
    public String complete() {
        return locked("complete", this::complete);
    }

    private String complete(MigrationSession session) throws SQLException {
        Migration migration = activeMigration(session, "complete");
        VirtualSchema newVersion = replay(catalog(session), migration.operations());
        ExecutionContext context = context(session, newVersion, newVersion, migration, null);
        refuseIfRollingBack(session, migration.name(), "completed");
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
    public String rollback(boolean skipFailingSqlDown) {
        return locked(
                "rollback", session -> rollback(session, skipFailingSqlDown).migration());
    }

    /**
     * Rolls back the active migration, the last operation first: those whose start finished are rolled
     * back, the first whose start did not (it failed or was interrupted) is abandoned, and those after it
     * never ran. Each operation undone is recorded, so that a rollback that fails part-way and is run
     * again undoes each operation once (a {@code sql} operation's {@code down} never runs twice).
     */
    private Undone rollback(MigrationSession session, boolean skipFailingSqlDown) throws SQLException {
        Migration migration = activeMigration(session, "roll back");
        StateStore state = session.state();
        Connection c = session.connection();
        String name = migration.name();
        Optional<java.time.OffsetDateTime> completing = state.phase(c, settings.schema(), name, Phase.COMPLETING);
        if (completing.isPresent()) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    "Migration \"" + name + "\" cannot be rolled back: its complete began at "
                            + completing.get() + " and already removed the previous version. Run `pgroll complete` "
                            + "again to finish it.");
        }
        List<Operation> operations = migration.operations();
        int started = operations.size();
        if (state.phase(c, settings.schema(), name, Phase.STARTED).isEmpty()) {
            started = 0;
            while (started < operations.size() && state.operationStarted(c, settings.schema(), name, started)) {
                started++;
            }
        }
        state.recordPhase(c, settings.schema(), name, Phase.ROLLING_BACK);
        VirtualSchema newVersion = replay(catalog(session), operations);
        // The new version's schema goes first, so that no client pins to a version being torn down.
        if (settings.useVersionSchema()) {
            VersionSchemas.drop(context(session, newVersion, newVersion, migration, null), versionSchemaOf(migration));
        }
        int skipped = 0;
        for (int i = Math.min(started, operations.size() - 1); i >= 0; i--) {
            if (state.operationRolledBack(c, settings.schema(), name, i)) {
                continue; // an earlier run of this rollback did it
            }
            Operation operation = operations.get(i);
            settings.listener().operation(name, i + 1, operation.describe(), i < started ? "rollback" : "abandon");
            OperationAction action = Operations.of(operation);
            ExecutionContext context = contextOf(session, migration, i, newVersion);
            try {
                if (i < started) {
                    action.rollback(context);
                } else {
                    action.abandon(context);
                }
            } catch (SQLException e) {
                if (!(skipFailingSqlDown && operation instanceof RawSql)) {
                    throw operationFailed("rollback", migration, i, e, rollbackWayOut(operation));
                }
                skipped++;
                settings.listener()
                        .notice("Operation " + (i + 1) + " (" + operation.describe() + "): its `down` failed ("
                                + sqlMessage(e) + ") and was skipped as asked: what its `up` made is left as it is.");
            }
            state.recordOperationRolledBack(c, settings.schema(), name, i);
        }
        state.recordRollback(c, settings.schema(), name);
        int sqlDowns = (int) operations.subList(0, started).stream()
                .filter(o -> o instanceof RawSql sql && !sql.onComplete() && !ConstraintSql.blank(sql.down()))
                .count();
        return new Undone(name, started, operations.size(), sqlDowns - skipped);
    }

    private static String rollbackWayOut(Operation operation) {
        if (operation instanceof RawSql) {
            return "The migration stays in progress; the operations after it are undone already. Fix the cause and"
                    + " run `pgroll rollback` again, or run `pgroll rollback --skip-failing-down` to leave what this"
                    + " operation's `up` made as it is while every other operation is still rolled back";
        }
        return "The migration stays in progress; the operations after it are undone already. Fix the cause (where"
                + " an object depends on what rollback drops, PostgreSQL's detail above names it: change or drop it"
                + " yourself) and run `pgroll rollback` again";
    }

    /**
     * What a rollback undid: the first {@code started} of {@code total} operations had started, and
     * {@code sqlDowns} of them were {@code sql} operations whose {@code down} ran.
     */
    private record Undone(String migration, int started, int total, int sqlDowns) {
        String summary() {
            String untouched = sqlDowns == 0
                    ? " Nothing that existed before the start was changed."
                    : " Nothing that existed before the start was changed, except by the `down` of the " + sqlDowns
                            + " `sql` operation" + (sqlDowns == 1 ? "" : "s") + " undone.";
            if (started == total) {
                return (total == 1 ? "Its operation was" : "Its " + total + " operations were") + " rolled back."
                        + untouched;
            }
            String own = "operation " + (started + 1) + "'s own partial work, if any, was removed";
            String after = started + 1 < total ? ", and the operations after it never ran" : "";
            if (started == 0) {
                return "No operation before it needed undoing; " + own + after + ", so nothing was changed.";
            }
            return (started == 1 ? "The operation before it was" : "The " + started + " operations before it were")
                    + " rolled back; " + own + after + "." + untouched;
        }
    }

    private void refuseIfRollingBack(MigrationSession session, String migration, String verb) throws SQLException {
        Optional<java.time.OffsetDateTime> rollingBack =
                session.state().phase(session.connection(), settings.schema(), migration, Phase.ROLLING_BACK);
        if (rollingBack.isPresent()) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    "Migration \"" + migration + "\" cannot be " + verb + ": its rollback began at "
                            + rollingBack.get() + " and did not finish, so part of it may be undone already. Run "
                            + "`pgroll rollback` again to finish it.");
        }
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
            MigrationSession session,
            VirtualSchema schema,
            VirtualSchema newVersion,
            Migration migration,
            String startRecord) {
        return new ExecutionContext(
                session.executor(),
                settings,
                schema,
                newVersion,
                versionSchemaOf(migration),
                migration.name(),
                startRecord);
    }

    /**
     * The context of operation {@code index} in complete or rollback: the schema replayed from the
     * catalog as it is now through the operations up to this one. Now, because the completes of the
     * operations before it may have renamed what it works on (a table renamed earlier in the migration).
     */
    private ExecutionContext contextOf(
            MigrationSession session, Migration migration, int index, VirtualSchema newVersion) throws SQLException {
        return context(
                session,
                replay(catalog(session), migration.operations().subList(0, index + 1)),
                newVersion,
                migration,
                null);
    }

    private String versionSchemaOf(Migration migration) {
        String version =
                migration.versionSchema() == null || migration.versionSchema().isBlank()
                        ? migration.name()
                        : migration.versionSchema();
        return VersionSchemas.name(settings.schema(), version);
    }

    /**
     * PostgreSQL's hint on a drop that other objects block. Never passed on: CASCADE would drop the
     * user's objects (and their data) along with the migration's.
     */
    private static final String CASCADE_HINT = "Hint: Use DROP ... CASCADE to drop the dependent objects too.";

    static String sqlMessage(SQLException e) {
        // pgJDBC puts Detail, Hint and Position on lines of their own; a one-paragraph error keeps them inline
        String message = e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getMessage().strip().replace(CASCADE_HINT, "").strip().replaceAll("\\s*\\R\\s*", "; ");
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

        OperationFailure(int index, Operation operation, Exception cause) {
            super(cause.getMessage(), cause);
            this.index = index;
            this.operation = operation;
        }
    }
}
