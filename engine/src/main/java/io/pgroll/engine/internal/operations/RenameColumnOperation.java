package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.model.RenameColumn;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rename_column}: the new version's view shows the new name at start; the physical column is
 * renamed at complete (a catalog change under a short ACCESS EXCLUSIVE lock), so the old version,
 * which may read the table directly, keeps its name until then.
 */
final class RenameColumnOperation implements OperationAction {
    private final RenameColumn op;

    RenameColumnOperation(RenameColumn op) {
        this.op = op;
    }

    @Override
    public void validate(ValidationContext context) {
        VirtualTable table = context.requireTable(op.table());
        context.requireColumn(table, op.from());
        if (table.column(op.to()).isPresent()) {
            throw new InvalidOperationException(
                    "column \"" + op.to() + "\" already exists in table \"" + op.table() + "\"");
        }
    }

    @Override
    public void apply(VirtualSchema schema) {
        schema.table(op.table()).ifPresent(t -> t.renameColumn(op.from(), op.to()));
    }

    @Override
    public void start(ExecutionContext context) {
        // the view maps the new name onto the column
    }

    @Override
    public void complete(ExecutionContext context) throws SQLException {
        VirtualTable table = context.table(op.table());
        String physical = table.physicalName();
        if (!context.catalog().columnExists(physical, op.from())) {
            return; // renamed by an earlier run of this complete, or replaced by a later operation's copy
        }
        if (replacedLater(context, physical)) {
            // A later operation replaces or drops the column at its complete; renaming it now would
            // break that operation's trigger, which fills the column under its current name.
            return;
        }
        List<String> statements = new ArrayList<>();
        statements.add("ALTER TABLE " + context.qualified(physical) + " RENAME COLUMN " + Sql.ident(op.from()) + " TO "
                + Sql.ident(op.to()));
        statements.addAll(ColumnExpansion.renameIndexColumns(context, physical, op.from(), op.to()));
        context.executor().inTransaction(statements);
        table.column(op.to()).ifPresent(c -> table.putColumn(c.storedIn(op.to())));
    }

    /** Whether the new version, once the whole migration applied, no longer sees this physical column. */
    private boolean replacedLater(ExecutionContext context, String physicalTable) {
        String column = context.physicalColumn(op.table(), op.from());
        return context.newVersion().tables().stream()
                .filter(t -> t.physicalName().equals(physicalTable))
                .allMatch(t -> t.columnStoredIn(column).isEmpty());
    }

    @Override
    public void rollback(ExecutionContext context) {
        // nothing was changed at start
    }
}
