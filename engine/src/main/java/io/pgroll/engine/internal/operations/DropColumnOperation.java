package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.model.DropColumn;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code drop_column}: the new version stops seeing the column at start; while the old version still
 * reads it, {@code down} fills it for the new version's writes; complete drops it (a catalog change,
 * no rewrite).
 */
final class DropColumnOperation implements OperationAction {
    private final DropColumn op;

    DropColumnOperation(DropColumn op) {
        this.op = op;
    }

    @Override
    public void validate(ValidationContext context) {
        VirtualTable table = context.requireTable(op.table());
        VirtualColumn column = context.requireColumn(table, op.column());
        ColumnRules.requireDroppable(context, table, column, op.down() != null, "drop_column");
        context.deferDownExpression("`down` of column \"" + op.column() + "\"", op.down(), table);
    }

    @Override
    public void apply(VirtualSchema schema) {
        schema.table(op.table()).ifPresent(t -> t.removeColumn(op.column()));
    }

    @Override
    public void start(ExecutionContext context) throws SQLException {
        if (op.down() == null) {
            return;
        }
        String table = context.table(op.table()).physicalName();
        context.executor()
                .inTransaction(new ColumnTrigger(
                                context,
                                table,
                                stored(context),
                                ColumnTrigger.Direction.DOWN,
                                stored(context),
                                op.down(),
                                ColumnTrigger.newVersionRow(context, table))
                        .create(context));
    }

    @Override
    public void complete(ExecutionContext context) throws SQLException {
        String table = physicalTable(context);
        List<String> statements = new ArrayList<>(dropTrigger(context, table));
        // ACCESS EXCLUSIVE for a catalog change: the column's space is reclaimed by later writes, not now
        statements.add(
                "ALTER TABLE " + context.qualified(table) + " DROP COLUMN IF EXISTS " + Sql.ident(stored(context)));
        context.executor().inTransaction(statements);
    }

    @Override
    public void rollback(ExecutionContext context) throws SQLException {
        String table = physicalTable(context);
        if (context.catalog()
                .functionExists(ColumnTrigger.name(context, table, stored(context), ColumnTrigger.Direction.DOWN))) {
            context.executor().inTransaction(dropTrigger(context, table));
        }
    }

    private String physicalTable(ExecutionContext context) {
        return context.schema()
                .table(op.table())
                .map(VirtualTable::physicalName)
                .orElse(op.table());
    }

    private List<String> dropTrigger(ExecutionContext context, String table) throws SQLException {
        return ColumnTrigger.drop(context, table, stored(context), ColumnTrigger.Direction.DOWN);
    }

    /** The physical column: one renamed earlier in the migration keeps its old name, and is dropped under it. */
    private String stored(ExecutionContext context) {
        return context.physicalColumn(op.table(), op.column());
    }
}
