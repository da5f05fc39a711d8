package io.pgroll.engine.internal.command;

import io.pgroll.engine.internal.operations.ExecutionContext;
import io.pgroll.engine.internal.operations.Obstacles;
import io.pgroll.engine.internal.operations.Operations;
import io.pgroll.engine.internal.operations.VersionSchemas;
import io.pgroll.engine.internal.operations.VirtualSchema;
import io.pgroll.engine.internal.state.History;
import io.pgroll.engine.internal.state.History.Phase;
import io.pgroll.engine.internal.state.History.Step;
import io.pgroll.engine.model.Operation;
import io.pgroll.engine.model.RawSql;
import io.pgroll.engine.model.RenameColumn;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code complete}: retires the previous version, then contracts operation by operation. Roll-forward
 * only: once it began, the state says so, and the way out of a failure is to run it again, which skips
 * the operations whose complete committed (raw SQL never runs twice).
 */
public final class CompleteCommand {
    private final CommandExecutor executor;

    public CompleteCommand(CommandExecutor executor) {
        this.executor = executor;
    }

    /** Completes the active migration; returns its name. */
    public String complete() {
        return executor.locked("complete", CompleteCommand::run);
    }

    static String run(Session session) throws SQLException {
        MigrationRun run = MigrationRun.active(session, "complete");
        History history = session.history();
        List<Operation> operations = run.migration().operations();
        VirtualSchema newVersion = run.replay(operations.size());
        ExecutionContext context = run.context(newVersion, newVersion);
        run.refuseIfRollingBack("completed");
        run.requireStarted();
        // The previous version goes first: its views may read what the operations drop.
        Optional<String> previous = history.versionSchema(1);
        if (history.reached(run.name(), Phase.COMPLETING).isEmpty()) {
            run.refuseIfChangedOutside("completed", "complete");
            run.refuseIfBuiltOn(
                    Obstacles.ofComplete(
                            session.connection(),
                            session.catalog(),
                            newVersion,
                            run.replay(0),
                            previous.filter(p -> session.settings().useVersionSchema())
                                    .map(p -> VersionSchemas.name(
                                            session.settings().schema(), p)),
                            run.versionSchemas()),
                    "completed",
                    "complete");
        }
        history.record(run.name(), Phase.COMPLETING);
        if (previous.isPresent() && session.settings().useVersionSchema()) {
            VersionSchemas.drop(context, VersionSchemas.name(session.settings().schema(), previous.get()));
        }
        Operations.dropOldVersionTriggers(context);
        for (int i : completionOrder(operations)) {
            session.listener().operation(run.name(), i + 1, operations.get(i).describe(), "complete");
            if (history.done(run.name(), Step.COMPLETED, i)) {
                continue; // an earlier run of this complete did it
            }
            try {
                Operations.of(operations.get(i)).complete(run.contextOf(i, Step.COMPLETED));
                history.record(run.name(), Step.COMPLETED, i);
            } catch (SQLException e) {
                throw Failures.operationFailed(
                        "complete",
                        run.migration(),
                        i,
                        e,
                        "complete only moves forward: fix the cause and run `pgroll complete` again");
            }
        }
        if (session.settings().useVersionSchema() && operations.stream().anyMatch(CompleteCommand::changesAtComplete)) {
            // SQL run at complete may have created or altered tables the published views do not show
            VirtualSchema now = VirtualSchema.of(session.catalog());
            VersionSchemas.publish(run.context(now, now), run.versionSchema());
        }
        history.recordComplete(run.name());
        return run.name();
    }

    /**
     * The order in which the operations complete: as written, except that a {@code rename_column} waits
     * until the operations after it have completed (up to the next {@code sql} run at complete, which may
     * name the column by its new name). Their triggers, which keep the new version's writes filling what
     * the old version read, name the column's physical name until each operation's complete drops them;
     * renaming it first would fail those writes in between.
     */
    static List<Integer> completionOrder(List<Operation> operations) {
        List<Integer> order = new ArrayList<>();
        List<Integer> renames = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            Operation operation = operations.get(i);
            if (operation instanceof RenameColumn) {
                renames.add(i);
                continue;
            }
            if (changesAtComplete(operation)) {
                order.addAll(renames);
                renames.clear();
            }
            order.add(i);
        }
        order.addAll(renames);
        return order;
    }

    private static boolean changesAtComplete(Operation operation) {
        return operation instanceof RawSql sql && sql.onComplete();
    }
}
