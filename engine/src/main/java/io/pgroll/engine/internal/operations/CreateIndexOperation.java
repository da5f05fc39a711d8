package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.internal.sql.SqlExpressions;
import io.pgroll.engine.model.CreateIndex;
import io.pgroll.engine.model.IndexField;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code create_index}: built CONCURRENTLY at start (SHARE UPDATE EXCLUSIVE: reads and writes go on),
 * on the physical columns, so an index on a column this migration adds lands on its temporary column
 * and follows it through the rename at complete. A failed concurrent build leaves an INVALID index
 * behind; it is dropped before the build is retried.
 */
final class CreateIndexOperation implements OperationAction {
    private final CreateIndex op;

    CreateIndexOperation(CreateIndex op) {
        this.op = op;
    }

    @Override
    public void validate(ValidationContext context) {
        VirtualTable table = context.requireTable(op.table());
        context.requireNoTable(op.name());
        if (op.columns().isEmpty()) {
            throw new InvalidOperationException("index \"" + op.name() + "\" names no columns");
        }
        for (IndexField field : op.columns()) {
            context.requireColumn(table, field.column());
        }
    }

    @Override
    public void apply(VirtualSchema schema) {
        schema.addRelation(op.name());
    }

    @Override
    public void start(ExecutionContext context) throws SQLException {
        VirtualTable table = context.table(op.table());
        List<String> elements = new ArrayList<>();
        for (IndexField field : op.columns()) {
            String physical = table.column(field.column())
                    .map(VirtualColumn::physicalName)
                    .orElse(field.column());
            StringBuilder element = new StringBuilder(Sql.ident(physical));
            if (!ConstraintSql.blank(field.collate())) {
                element.append(" COLLATE ").append(Sql.ident(field.collate()));
            }
            if (field.opclass() != null && !ConstraintSql.blank(field.opclass().name())) {
                element.append(' ').append(qualifiedName(field.opclass().name()));
                if (field.opclass().params() != null
                        && !field.opclass().params().isEmpty()) {
                    element.append(" (")
                            .append(String.join(", ", field.opclass().params()))
                            .append(')');
                }
            }
            if (!ConstraintSql.blank(field.sort())) {
                element.append(' ').append(field.sort().equalsIgnoreCase("DESC") ? "DESC" : "ASC");
            }
            if (!ConstraintSql.blank(field.nulls())) {
                element.append(" NULLS ").append(field.nulls().equalsIgnoreCase("FIRST") ? "FIRST" : "LAST");
            }
            elements.add(element.toString());
        }
        String building = buildingName();
        StringBuilder sql = new StringBuilder("CREATE ")
                .append(op.unique() ? "UNIQUE " : "")
                .append("INDEX CONCURRENTLY ")
                .append(Sql.ident(building))
                .append(" ON ")
                .append(context.qualified(table.physicalName()))
                .append(" USING ")
                .append(ConstraintSql.method(op.method()))
                .append(" (")
                .append(String.join(", ", elements))
                .append(')');
        if (!ConstraintSql.blank(op.storageParameters())) {
            sql.append(" WITH (").append(op.storageParameters()).append(')');
        }
        if (!ConstraintSql.blank(op.predicate())) {
            String predicate = op.predicate();
            for (VirtualColumn column : table.columns()) {
                if (!column.name().equals(column.physicalName())) {
                    predicate = SqlExpressions.renameColumn(predicate, column.name(), column.physicalName());
                }
            }
            sql.append(" WHERE ").append(predicate);
        }
        ConcurrentIndexes.build(context, building, sql.toString());
        // renaming an index takes SHARE UPDATE EXCLUSIVE on it alone: reads and writes go on
        context.executor()
                .inTransaction(context.recording(
                        List.of("ALTER INDEX " + context.qualified(building) + " RENAME TO " + Sql.ident(op.name()))));
    }

    /**
     * The index is built under a temporary name and takes its own in one transaction with the record of
     * this start: a crash after the build but before the record leaves only an index rollback knows is
     * this migration's, never one under the user's name that might have existed before.
     */
    private String buildingName() {
        return TemporaryNames.of("idx", op.name());
    }

    /** An operator class name, possibly schema-qualified ({@code public.my_ops}). */
    private static String qualifiedName(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? Sql.ident(name) : Sql.qualified(name.substring(0, dot), name.substring(dot + 1));
    }

    @Override
    public void complete(ExecutionContext context) {
        // the index is final as built; a temporary column it covers is renamed by its own operation
    }

    @Override
    public void rollback(ExecutionContext context) throws SQLException {
        context.executor().concurrently("DROP INDEX CONCURRENTLY IF EXISTS " + context.qualified(op.name()));
    }

    /** The index under its temporary name, valid or not: a start that did not finish built no other. */
    @Override
    public void abandon(ExecutionContext context) throws SQLException {
        context.executor().concurrently("DROP INDEX CONCURRENTLY IF EXISTS " + context.qualified(buildingName()));
    }
}
