package io.pgroll.engine.internal.operations;

import io.pgroll.engine.model.DropTable;
import java.sql.SQLException;

/** {@code drop_table}: the new version stops seeing the table at start; complete drops it. */
final class DropTableOperation implements OperationAction {
    private final DropTable op;

    DropTableOperation(DropTable op) {
        this.op = op;
    }

    @Override
    public void validate(ValidationContext context) {
        VirtualTable table = context.requireTable(op.name());
        try {
            Dependents.refuseIfBlocked(
                    context, table.physicalName(), null, "drop_table of \"" + op.name() + "\"", false);
        } catch (java.sql.SQLException e) {
            throw new InvalidOperationException("cannot inspect table \"" + op.name() + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public void apply(VirtualSchema schema) {
        schema.dropTable(op.name());
    }

    @Override
    public void start(ExecutionContext context) {
        // the old version keeps reading and writing the table until complete
    }

    @Override
    public void complete(ExecutionContext context) throws SQLException {
        String physical = context.schema().droppedTablePhysicalName(op.name());
        context.executor().inTransaction("DROP TABLE IF EXISTS " + context.qualified(physical));
    }

    @Override
    public void rollback(ExecutionContext context) {
        // nothing was changed at start
    }
}
