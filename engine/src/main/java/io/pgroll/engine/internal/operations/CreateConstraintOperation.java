package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.operations.ColumnExpansion.ConcurrentIndex;
import io.pgroll.engine.internal.operations.ColumnExpansion.NotValidConstraint;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.internal.sql.SqlExpressions;
import io.pgroll.engine.model.ConstraintType;
import io.pgroll.engine.model.CreateConstraint;
import io.pgroll.engine.model.IndexParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code create_constraint}: check, unique, foreign key or primary key over one or more columns. The
 * new version sees copies of those columns that carry the constraint (checks and foreign keys added
 * NOT VALID and validated after the backfill, unique and primary keys as indexes built concurrently
 * and attached at complete); {@code up} fixes rows of the old version that would violate it.
 */
final class CreateConstraintOperation extends RewritingOperation {
    private final CreateConstraint op;

    CreateConstraintOperation(CreateConstraint op) {
        this.op = op;
    }

    @Override
    public void validate(ValidationContext context) {
        VirtualTable table = context.requireTable(op.table());
        if (table.constraints().contains(op.name())) {
            throw new InvalidOperationException(
                    "constraint \"" + op.name() + "\" already exists on table \"" + op.table() + "\"");
        }
        if (op.type() == ConstraintType.EXCLUDE) {
            throw new InvalidOperationException("create_constraint cannot create an exclusion constraint");
        }
        if (op.columns().isEmpty()) {
            throw new InvalidOperationException("constraint \"" + op.name() + "\" names no columns");
        }
        if (op.type() == ConstraintType.PRIMARY_KEY && !table.primaryKey().isEmpty()) {
            throw new InvalidOperationException("table \"" + op.table() + "\" already has a primary key ("
                    + String.join(", ", table.primaryKey()) + ")");
        }
        List<VirtualColumn> columns = op.columns().stream()
                .map(column -> context.requireColumn(table, column))
                .toList();
        ColumnRules.requireAllOrNoneRewrittenEarlier(table, columns, "create_constraint");
        for (VirtualColumn column : columns) {
            ColumnRules.requireRewritable(context, table, column, "create_constraint");
        }
        if (op.type() == ConstraintType.FOREIGN_KEY) {
            VirtualTable referenced = context.requireTable(op.references().table());
            op.references().columns().forEach(c -> context.requireColumn(referenced, c));
        }
        op.up().forEach((column, up) -> context.requireUpExpression("`up` of column \"" + column + "\"", up, table));
        op.down()
                .forEach((column, down) ->
                        context.deferDownExpression("`down` of column \"" + column + "\"", down, table));
    }

    // a Change's defaultValue and comment are tri-state: null leaves them as they are
    @SuppressWarnings("NullOptional")
    private List<ColumnRewrite.Change> changes() {
        boolean primaryKey = op.type() == ConstraintType.PRIMARY_KEY;
        List<ColumnRewrite.Change> changes = new ArrayList<>();
        for (String column : op.columns()) {
            changes.add(new ColumnRewrite.Change(
                    column,
                    null,
                    primaryKey ? Boolean.FALSE : null,
                    null,
                    null,
                    DropConstraintOperation.orItself(op.up().get(column), column),
                    DropConstraintOperation.orItself(op.down().get(column), column)));
        }
        return changes;
    }

    @Override
    ColumnRewrite rewrite(ExecutionContext context) {
        List<String> copies = op.columns().stream()
                .map(column -> ColumnRewrite.copyOf(context, op.table(), column))
                .toList();
        String physical = context.table(op.table()).physicalName();
        List<NotValidConstraint> constraints = new ArrayList<>();
        List<ConcurrentIndex> indexes = new ArrayList<>();
        switch (op.type()) {
            case CHECK -> {
                String check = op.check();
                for (String column : op.columns()) {
                    check = SqlExpressions.renameColumn(
                            check, column, ColumnRewrite.copyOf(context, op.table(), column));
                }
                constraints.add(new NotValidConstraint(
                        op.name(), op.name(), "CHECK (" + check + ")" + (op.noInherit() ? " NO INHERIT" : "")));
            }
            case FOREIGN_KEY -> {
                constraints.add(new NotValidConstraint(
                        op.name(),
                        op.name(),
                        "FOREIGN KEY (" + Sql.identList(copies) + ") "
                                + ConstraintSql.tableReferences(
                                        context.physically(op.references()), context.schemaName())));
            }
            default -> {
                String index = TemporaryNames.of("new", op.name());
                indexes.add(new ConcurrentIndex(
                        index,
                        op.name(),
                        "CREATE UNIQUE INDEX CONCURRENTLY " + Sql.ident(index) + " ON " + context.qualified(physical)
                                + " (" + Sql.identList(copies) + ")" + indexParameters(op.indexParameters()),
                        op.type() == ConstraintType.PRIMARY_KEY ? "PRIMARY KEY" : "UNIQUE",
                        ""));
            }
        }
        return new ColumnRewrite(context, op.table(), changes(), Set.of(), constraints, indexes);
    }

    private static String indexParameters(IndexParameters p) {
        if (p == null) {
            return "";
        }
        StringBuilder sql = new StringBuilder();
        if (p.includeColumns() != null && !p.includeColumns().isEmpty()) {
            sql.append(" INCLUDE (").append(Sql.identList(p.includeColumns())).append(')');
        }
        if (!ConstraintSql.blank(p.storageParameters())) {
            sql.append(" WITH (").append(p.storageParameters()).append(')');
        }
        if (!ConstraintSql.blank(p.tablespace())) {
            sql.append(" TABLESPACE ").append(Sql.ident(p.tablespace()));
        }
        return sql.toString();
    }

    @Override
    public void apply(VirtualSchema schema) {
        ColumnRewrite.apply(schema, op.table(), changes());
        schema.table(op.table()).ifPresent(t -> {
            t.constraints().add(op.name());
            t.constraintColumns().put(op.name(), op.columns());
            if (op.type() == ConstraintType.PRIMARY_KEY) {
                t.primaryKey().addAll(op.columns());
            }
        });
    }
}
