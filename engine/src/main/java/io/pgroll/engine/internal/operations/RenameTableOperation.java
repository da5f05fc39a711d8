package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.model.RenameTable;
import java.sql.SQLException;

/**
 * {@code rename_table}: the new version's view has the new name at start; the physical table is
 * renamed at complete, so the old version (which may read the table directly) never loses it.
 */
final class RenameTableOperation implements OperationAction {
    private final RenameTable op;

    RenameTableOperation(RenameTable op) {
        this.op = op;
    }

    @Override
    public void validate(ValidationContext context) {
        context.requireTable(op.from());
        context.requireNoTable(op.to());
    }

    @Override
    public void apply(VirtualSchema schema) {
        schema.renameTable(op.from(), op.to());
        schema.addRelation(op.to());
    }

    @Override
    public void start(ExecutionContext context) {
        // views map the new name onto the old table
    }

    @Override
    public void complete(ExecutionContext context) throws SQLException {
        VirtualTable table = context.schema().table(op.to()).orElse(null);
        if (table != null && !table.physicalName().equals(op.to())) {
            // ACCESS EXCLUSIVE, but only for a catalog update: waits at most the lock timeout
            context.executor()
                    .inTransaction("ALTER TABLE IF EXISTS " + context.qualified(table.physicalName()) + " RENAME TO "
                            + Sql.ident(op.to()));
            table.storedIn(op.to());
        }
    }

    @Override
    public void rollback(ExecutionContext context) {
        // nothing was changed at start
    }
}
