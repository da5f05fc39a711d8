package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.model.RenameConstraint;
import java.sql.SQLException;

/**
 * {@code rename_constraint}: constraints are invisible through the views, so the rename waits for
 * complete, where it is a catalog change under a short ACCESS EXCLUSIVE lock; rollback has nothing to undo.
 */
final class RenameConstraintOperation implements OperationAction {
    private final RenameConstraint op;

    RenameConstraintOperation(RenameConstraint op) {
        this.op = op;
    }

    @Override
    public void validate(ValidationContext context) {
        VirtualTable table = context.requireTable(op.table());
        if (context.schemaIsExact() && !table.constraints().contains(op.from())) {
            throw new InvalidOperationException("constraint \"" + op.from() + "\" does not exist on table \""
                    + op.table() + "\" (its constraints: " + String.join(", ", table.constraints()) + ")");
        }
        if (table.constraints().contains(op.to())) {
            throw new InvalidOperationException(
                    "constraint \"" + op.to() + "\" already exists on table \"" + op.table() + "\"");
        }
    }

    @Override
    public void apply(VirtualSchema schema) {
        schema.table(op.table()).ifPresent(t -> {
            t.constraints().remove(op.from());
            t.constraints().add(op.to());
        });
    }

    @Override
    public void start(ExecutionContext context) {
        // nothing the application can see changes
    }

    @Override
    public void complete(ExecutionContext context) throws SQLException {
        String table = context.table(op.table()).physicalName();
        if (context.catalog().constraintExists(table, op.from())) {
            context.executor()
                    .inTransaction("ALTER TABLE " + context.qualified(table) + " RENAME CONSTRAINT "
                            + Sql.ident(op.from()) + " TO " + Sql.ident(op.to()));
        }
    }

    @Override
    public void rollback(ExecutionContext context) {
        // nothing was changed at start
    }
}
