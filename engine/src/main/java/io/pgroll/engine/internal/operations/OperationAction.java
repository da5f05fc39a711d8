package io.pgroll.engine.internal.operations;

import java.sql.SQLException;

/**
 * What every operation kind does, in the same four verbs. {@code validate} and {@code apply} work on
 * the virtual schema only; {@code start}, {@code complete} and {@code rollback} change the database and
 * must be safe to run again after a crash part-way (they test for what exists before acting).
 */
public interface OperationAction {
    /** Checks the operation against the schema as the operations before it left it; changes nothing. */
    void validate(ValidationContext context);

    /** The operation's effect on the schema the new version sees. Tolerant: used to replay as well. */
    void apply(VirtualSchema schema);

    /** Expands the physical schema, without blocking reads or writes; runs before {@link #apply}. */
    void start(ExecutionContext context) throws SQLException;

    /** Contracts: makes the change final once the old version is gone. */
    void complete(ExecutionContext context) throws SQLException;

    /** Undoes {@link #start}, keeping every row and value the old version can see. */
    void rollback(ExecutionContext context) throws SQLException;

    /**
     * Undoes what a {@link #start} that failed or was interrupted part-way may have left behind, and
     * nothing else: never an object that existed before the migration started. By default that is
     * {@link #rollback}, which for most operations drops only the temporary objects start creates, and
     * only those that exist; an operation whose rollback could reach beyond what it created overrides it.
     */
    default void abandon(ExecutionContext context) throws SQLException {
        rollback(context);
    }
}
