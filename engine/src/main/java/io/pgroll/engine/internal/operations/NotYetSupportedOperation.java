package io.pgroll.engine.internal.operations;

import io.pgroll.engine.model.Operation;

/**
 * The column-rewriting operations (alter_column, drop_column, rename_column and the constraint ones)
 * parse and validate structurally but cannot be applied by this release; validation says so before
 * anything runs, so a migration that uses one changes nothing.
 */
final class NotYetSupportedOperation implements OperationAction {
    private final Operation op;

    NotYetSupportedOperation(Operation op) {
        this.op = op;
    }

    @Override
    public void validate(ValidationContext context) {
        throw new InvalidOperationException("the " + op.kind() + " operation cannot be applied by this release of "
                + "pgroll for the JVM yet (it reads and validates it, but applies only create_table, drop_table, "
                + "rename_table, add_column, create_index, drop_index, rename_constraint, set_replica_identity "
                + "and sql); nothing was changed");
    }

    @Override
    public void apply(VirtualSchema schema) {}

    @Override
    public void start(ExecutionContext context) {}

    @Override
    public void complete(ExecutionContext context) {}

    @Override
    public void rollback(ExecutionContext context) {}
}
