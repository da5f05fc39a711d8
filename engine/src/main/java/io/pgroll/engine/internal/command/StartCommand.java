package io.pgroll.engine.internal.command;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.StartResult;
import io.pgroll.engine.convert.SqlLinter;
import io.pgroll.engine.internal.backfill.ReplicaWatch;
import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.catalog.CatalogSchema;
import io.pgroll.engine.internal.operations.OperationAction;
import io.pgroll.engine.internal.operations.Operations;
import io.pgroll.engine.internal.operations.VersionSchemas;
import io.pgroll.engine.internal.operations.VirtualSchema;
import io.pgroll.engine.internal.state.History;
import io.pgroll.engine.internal.state.History.Phase;
import io.pgroll.engine.internal.state.History.Step;
import io.pgroll.engine.internal.state.MigrationRecord;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.engine.model.Operation;
import io.pgroll.engine.model.RawSql;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@code start}: validates the migration, records it, runs each operation's start (recording each as
 * it finishes), then publishes the new version schema last, so that no client pins to a version whose
 * data is not ready. A start that fails is undone at once, as far as it got.
 */
public final class StartCommand {
    private final CommandExecutor executor;

    public StartCommand(CommandExecutor executor) {
        this.executor = executor;
    }

    /** Starts the migration and, when {@code complete}, completes it at once. */
    public StartResult start(Migration migration, String source, boolean complete) {
        return executor.locked("start " + migration.name(), session -> run(session, migration, source, complete));
    }

    static StartResult run(Session session, Migration migration, String source, boolean complete) throws SQLException {
        MigrationRun run = new MigrationRun(session, migration);
        Optional<StartResult> already = alreadyApplied(session, run, source);
        if (already.isPresent()) {
            if (complete && !already.get().completed()) {
                CompleteCommand.run(session);
                return new StartResult(migration.name(), already.get().versionSchema(), true, true);
            }
            return already.get();
        }
        CatalogSchema before = session.catalog();
        ValidateCommand.run(session, migration, source, before);
        ReplicaWatch.requireVisibleStandbys(
                new CatalogQueries(session.connection(), session.settings().schema()),
                session.settings().backfill());
        warnOfBlockingSql(session, migration);
        session.history().recordStart(migration.name(), MigrationReader.toJson(migration), "pgroll");
        try {
            startOperations(session, run, before);
        } catch (SQLException | RuntimeException e) {
            throw failed(session, source, e);
        }
        if (complete) {
            CompleteCommand.run(session);
        }
        boolean published = session.settings().useVersionSchema();
        return new StartResult(migration.name(), published ? run.versionSchema() : null, false, complete);
    }

    /**
     * A {@code sql} operation runs as written: the tool can bound its lock waits, not what its locks
     * block. Each statement lint finds blocking or breaking is told before it runs.
     */
    private static void warnOfBlockingSql(Session session, Migration migration) throws SQLException {
        int major = session.connection().getMetaData().getDatabaseMajorVersion();
        for (int i = 0; i < migration.operations().size(); i++) {
            if (migration.operations().get(i) instanceof RawSql sql && !lexicallyBroken(sql.up())) {
                for (SqlLinter.Finding finding : SqlLinter.lint(sql.up(), major)) {
                    if (!finding.rule().equals(SqlLinter.MISSING_LOCK_TIMEOUT)) {
                        session.listener().notice(migration.name() + ": operation " + (i + 1) + " (sql), " + finding);
                    }
                }
            }
        }
    }

    /** An unclosed quote is the server's to report, with its own position, when the SQL runs. */
    private static boolean lexicallyBroken(String sql) {
        try {
            SqlLinter.lint(sql, 0);
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static Optional<StartResult> alreadyApplied(Session session, MigrationRun run, String source)
            throws SQLException {
        History history = session.history();
        String schema = session.settings().schema();
        Optional<MigrationRecord> active = history.activeMigration();
        if (active.isPresent() && !active.get().name().equals(run.name())) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    source + ": cannot start migration \"" + run.name() + "\": migration \""
                            + active.get().name()
                            + "\" is still in progress on schema \"" + schema + "\". Complete it (`pgroll complete`) "
                            + "or roll it back (`pgroll rollback`) first; nothing was changed.");
        }
        Optional<MigrationRecord> recorded = history.migration(run.name());
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        if (!recorded.get().done()) {
            run.refuseIfRollingBack("started again");
            if (history.reached(run.name(), Phase.STARTED).isEmpty()) {
                throw Failures.interruptedStart(schema, run.name());
            }
        }
        if (!sameContent(recorded.get(), run.migration())) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    source + ": a migration named \"" + run.name() + "\" is already "
                            + (recorded.get().done() ? "applied" : "in progress") + " on schema \"" + schema
                            + "\" with different content. Give the changed migration a new name; nothing was changed.");
        }
        return Optional.of(new StartResult(
                run.name(), run.versionSchema(), true, recorded.get().done()));
    }

    private static boolean sameContent(MigrationRecord recorded, Migration migration) {
        try {
            return MigrationReader.readDocument(recorded.migration(), "state").equals(migration);
        } catch (PgrollException e) {
            return false;
        }
    }

    private static void startOperations(Session session, MigrationRun run, CatalogSchema before) throws SQLException {
        List<Operation> operations = run.migration().operations();
        VirtualSchema schema = VirtualSchema.of(before);
        VirtualSchema newVersion = Operations.replay(before, operations);
        for (int i = 0; i < operations.size(); i++) {
            Operation operation = operations.get(i);
            OperationAction action = Operations.of(operation);
            session.listener().operation(run.name(), i + 1, operation.describe(), "start");
            try {
                action.start(run.startContext(i, schema, newVersion));
                session.history().record(run.name(), Step.STARTED, i);
            } catch (SQLException | RuntimeException e) {
                throw new OperationFailure(i, operation, e);
            }
            action.apply(schema);
            if (operation instanceof RawSql sql && !sql.onComplete()) {
                // raw SQL changed the catalog in ways only reading it again can tell
                schema = run.replay(i + 1);
            }
        }
        if (session.settings().useVersionSchema()) {
            VersionSchemas.publish(run.context(schema, schema), run.versionSchema());
        }
        session.history().recordStarted(run.name());
    }

    /**
     * Undoes a start that failed: the operations whose start finished are rolled back (the last first),
     * the one that failed only loses what it itself left behind, and those after it never ran. The
     * message says which happened, since the one that failed may have failed on an object the user had.
     */
    private static PgrollException failed(Session session, String source, Exception e) {
        String cause = e instanceof OperationFailure f
                ? "operation " + (f.index + 1) + " (" + f.operation.describe() + ") failed: "
                        + Failures.message(f.getCause())
                : Failures.message(e);
        String outcome;
        try {
            outcome = RollbackCommand.run(session, false).summary();
        } catch (PgrollException | SQLException rollbackError) {
            outcome = "Undoing it failed too: " + Failures.message(rollbackError)
                    + " The migration stays in progress and can only be rolled back.";
        }
        Throwable root = e instanceof OperationFailure f ? f.getCause() : e;
        return new PgrollException(
                ErrorKind.DATABASE_ERROR, source + ": start failed: " + cause + ". " + outcome, root);
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
