package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.model.Column;
import io.pgroll.engine.model.CreateTable;
import io.pgroll.engine.model.ForeignKeyReference;
import io.pgroll.engine.model.TableConstraint;
import io.pgroll.engine.model.TableForeignKeyReference;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code create_table}: the table is created under its final name at start (no version but the new one
 * has a view of it) and dropped by rollback.
 */
final class CreateTableOperation implements OperationAction {
    private final CreateTable op;

    CreateTableOperation(CreateTable op) {
        this.op = op;
    }

    @Override
    public void validate(ValidationContext context) {
        context.requireNoTable(op.name());
        Set<String> names = new HashSet<>();
        for (Column column : op.columns()) {
            if (!names.add(column.name())) {
                throw new InvalidOperationException("column \"" + column.name() + "\" is defined twice");
            }
            context.requireType(column.type(), "column \"" + column.name() + "\"");
            if (column.references() != null) {
                requireReferencedTable(context, column.references().table(), column.name());
            }
        }
        Set<String> constraintNames = new HashSet<>();
        for (TableConstraint constraint : op.constraints()) {
            if (!constraintNames.add(constraint.name())) {
                throw new InvalidOperationException("constraint \"" + constraint.name() + "\" is defined twice");
            }
            for (String column : constraint.columns()) {
                if (!names.contains(column)) {
                    throw new InvalidOperationException("constraint \"" + constraint.name() + "\" names column \""
                            + column + "\", which the table does not define");
                }
            }
            if (constraint.references() != null
                    && !constraint.references().table().equals(op.name())) {
                requireReferencedTable(context, constraint.references().table(), constraint.name());
            }
        }
        boolean columnPk = op.columns().stream().anyMatch(Column::pk);
        boolean constraintPk =
                op.constraints().stream().anyMatch(c -> c.type() == io.pgroll.engine.model.ConstraintType.PRIMARY_KEY);
        if (columnPk && constraintPk) {
            throw new InvalidOperationException(
                    "the primary key is given twice: by columns marked pk and by a primary_key constraint");
        }
    }

    private static void requireReferencedTable(ValidationContext context, String table, String what) {
        if (context.schemaIsExact() && context.schema().table(table).isEmpty()) {
            throw new InvalidOperationException(
                    "\"" + what + "\" references table \"" + table + "\", which does not exist");
        }
    }

    @Override
    public void apply(VirtualSchema schema) {
        VirtualTable table = new VirtualTable(op.name(), op.name());
        for (Column column : op.columns()) {
            table.putColumn(new VirtualColumn(column.name(), column.name(), column.type(), column.nullable()));
            if (column.pk()) {
                table.primaryKey().add(column.name());
            }
        }
        op.constraints().forEach(c -> table.constraints().add(c.name()));
        schema.addTable(table);
    }

    @Override
    public void start(ExecutionContext context) throws SQLException {
        List<String> parts = new ArrayList<>();
        for (Column column : op.columns()) {
            parts.add(ConstraintSql.columnDefinition(
                    column.name(), referencingPhysically(context, column), context.schemaName(), true));
        }
        List<String> pk =
                op.columns().stream().filter(Column::pk).map(Column::name).toList();
        if (!pk.isEmpty()) {
            parts.add("PRIMARY KEY (" + Sql.identList(pk) + ")");
        }
        for (TableConstraint constraint : op.constraints()) {
            parts.add(ConstraintSql.tableConstraint(referencingPhysically(context, constraint), context.schemaName()));
        }
        List<String> statements = new ArrayList<>();
        String table = context.qualified(op.name());
        statements.add("CREATE TABLE " + table + " (" + String.join(", ", parts) + ")");
        if (op.comment() != null) {
            statements.add("COMMENT ON TABLE " + table + " IS " + Sql.literal(op.comment()));
        }
        for (Column column : op.columns()) {
            if (column.comment() != null) {
                statements.add("COMMENT ON COLUMN " + table + "." + Sql.ident(column.name()) + " IS "
                        + Sql.literal(column.comment()));
            }
        }
        // A new table is empty and unknown to the old version; the only locks that can wait are the
        // SHARE ROW EXCLUSIVE ones its foreign keys take on the referenced tables, hence the timeout.
        context.executor().inTransaction(context.recording(statements));
    }

    private static Column referencingPhysically(ExecutionContext context, Column column) {
        ForeignKeyReference ref = column.references();
        if (ref == null) {
            return column;
        }
        return new Column(
                column.name(),
                column.type(),
                column.pk(),
                column.nullable(),
                column.unique(),
                column.defaultValue(),
                column.comment(),
                column.check(),
                context.physically(ref),
                column.generated());
    }

    private TableConstraint referencingPhysically(ExecutionContext context, TableConstraint constraint) {
        TableForeignKeyReference ref = constraint.references();
        if (ref == null || ref.table().equals(op.name())) {
            return constraint;
        }
        return new TableConstraint(
                constraint.name(),
                constraint.type(),
                constraint.columns(),
                constraint.deferrable(),
                constraint.initiallyDeferred(),
                constraint.nullsNotDistinct(),
                constraint.noInherit(),
                constraint.check(),
                context.physically(ref),
                constraint.exclude(),
                constraint.indexParameters());
    }

    @Override
    public void complete(ExecutionContext context) {
        // nothing to contract: the table already has its final name and shape
    }

    @Override
    public void rollback(ExecutionContext context) throws SQLException {
        context.executor().inTransaction("DROP TABLE IF EXISTS " + context.qualified(op.name()));
    }

    /**
     * Nothing: start is one transaction with the record of its start, so a start that failed or never
     * committed created no table, and a table of that name is someone else's.
     */
    @Override
    public void abandon(ExecutionContext context) {}
}
