package io.pgroll.engine.internal.command;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.internal.operations.Obstacles;
import io.pgroll.engine.internal.operations.OperationAction;
import io.pgroll.engine.internal.operations.Operations;
import io.pgroll.engine.internal.operations.VersionSchemas;
import io.pgroll.engine.internal.operations.VirtualSchema;
import io.pgroll.engine.internal.state.History;
import io.pgroll.engine.internal.state.History.Phase;
import io.pgroll.engine.internal.state.History.Step;
import io.pgroll.engine.model.Operation;
import io.pgroll.engine.model.RawSql;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * {@code rollback}: undoes the active migration, the last operation first. Those whose start finished
 * are rolled back, the first whose start did not (it failed or was interrupted) is abandoned, and those
 * after it never ran. Each operation undone is recorded, so that a rollback that fails part-way and is
 * run again undoes each operation once (a {@code sql} operation's {@code down} never runs twice).
 */
public final class RollbackCommand {
    private final CommandExecutor executor;

    public RollbackCommand(CommandExecutor executor) {
        this.executor = executor;
    }

    /**
     * Rolls back the active migration; returns its name. With {@code skipFailingSqlDown}, a {@code sql}
     * operation whose {@code down} fails is reported and left as its {@code up} made it.
     */
    public String rollback(boolean skipFailingSqlDown) {
        return executor.locked(
                "rollback", session -> run(session, skipFailingSqlDown).migration());
    }

    static Undone run(Session session, boolean skipFailingSqlDown) throws SQLException {
        MigrationRun run = MigrationRun.active(session, "roll back");
        History history = session.history();
        Optional<OffsetDateTime> completing = history.reached(run.name(), Phase.COMPLETING);
        if (completing.isPresent()) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    "Migration \"" + run.name() + "\" cannot be rolled back: its complete began at " + completing.get()
                            + " and already removed the previous version. Run `pgroll complete` again to finish it.");
        }
        List<Operation> operations = run.migration().operations();
        int started = operations.size();
        if (history.reached(run.name(), Phase.STARTED).isEmpty()) {
            started = 0;
            while (started < operations.size() && history.done(run.name(), Step.STARTED, started)) {
                started++;
            }
        }
        VirtualSchema newVersion = run.replay(operations.size());
        if (history.reached(run.name(), Phase.ROLLING_BACK).isEmpty()) {
            run.refuseIfChangedOutside("rolled back", "rollback");
            run.refuseIfBuiltOn(
                    Obstacles.ofRollback(
                            session.connection(),
                            session.catalog(),
                            newVersion,
                            run.versionSchema(),
                            run.versionSchemas()),
                    "rolled back",
                    "rollback");
        }
        history.record(run.name(), Phase.ROLLING_BACK);
        // The new version's schema goes first, so that no client pins to a version being torn down.
        if (session.settings().useVersionSchema()) {
            VersionSchemas.drop(run.context(newVersion, newVersion), run.versionSchema());
        }
        int skipped = 0;
        for (int i = Math.min(started, operations.size() - 1); i >= 0; i--) {
            if (history.done(run.name(), Step.ROLLED_BACK, i)) {
                continue; // an earlier run of this rollback did it
            }
            Operation operation = operations.get(i);
            boolean wasStarted = i < started;
            session.listener().operation(run.name(), i + 1, operation.describe(), wasStarted ? "rollback" : "abandon");
            OperationAction action = Operations.of(operation);
            try {
                if (wasStarted) {
                    action.rollback(run.contextOf(i, Step.ROLLED_BACK));
                } else {
                    action.abandon(run.contextOf(i, Step.ROLLED_BACK));
                }
            } catch (SQLException e) {
                if (!(skipFailingSqlDown && operation instanceof RawSql)) {
                    throw Failures.operationFailed("rollback", run.migration(), i, e, wayOut(operation));
                }
                skipped++;
                session.listener()
                        .notice("Operation " + (i + 1) + " (" + operation.describe() + "): its `down` failed ("
                                + Failures.sqlMessage(e) + ") and was skipped as asked: what its `up` made is left "
                                + "as it is.");
            }
            history.record(run.name(), Step.ROLLED_BACK, i);
        }
        history.recordRollback(run.name());
        int sqlDowns = (int) operations.subList(0, started).stream()
                .filter(RollbackCommand::hasDown)
                .count();
        return new Undone(run.name(), started, operations.size(), sqlDowns - skipped);
    }

    private static boolean hasDown(Operation operation) {
        return operation instanceof RawSql sql
                && !sql.onComplete()
                && sql.down() != null
                && !sql.down().isBlank();
    }

    private static String wayOut(Operation operation) {
        String state = "The migration stays in progress; the operations after it are undone already.";
        if (operation instanceof RawSql) {
            return state + " Fix the cause and run `pgroll rollback` again, or run `pgroll rollback"
                    + " --skip-failing-down` to leave what this operation's `up` made as it is while every other"
                    + " operation is still rolled back";
        }
        return state + " Fix the cause (where an object depends on what rollback drops, PostgreSQL's detail above"
                + " names it: change or drop it yourself) and run `pgroll rollback` again";
    }

    /**
     * What a rollback undid: the first {@code started} of {@code total} operations had started, and
     * {@code sqlDowns} of them were {@code sql} operations whose {@code down} ran.
     */
    record Undone(String migration, int started, int total, int sqlDowns) {
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
}
