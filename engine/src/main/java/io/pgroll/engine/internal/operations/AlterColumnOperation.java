package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.operations.ColumnExpansion.ConcurrentIndex;
import io.pgroll.engine.internal.operations.ColumnExpansion.NotValidConstraint;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.internal.sql.SqlExpressions;
import io.pgroll.engine.model.AlterColumn;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code alter_column}: type, nullability, default, check, unique, foreign key, comment, alone or
 * together. Every change but a comment alone is a {@link ColumnRewrite}: the new version sees a copy
 * of the column in its new shape, kept in step with the original by {@code up} and {@code down}.
 * A comment alone is invisible to both versions and set at complete.
 */
final class AlterColumnOperation implements OperationAction {
    private final AlterColumn op;

    AlterColumnOperation(AlterColumn op) {
        this.op = op;
    }

    private boolean commentOnly() {
        return op.comment() != null
                && op.type() == null
                && op.nullable() == null
                && op.defaultValue() == null
                && op.unique() == null
                && op.check() == null
                && op.references() == null;
    }

    @Override
    public void validate(ValidationContext context) {
        VirtualTable table = context.requireTable(op.table());
        VirtualColumn column = context.requireColumn(table, op.column());
        if (commentOnly()) {
            return;
        }
        if (op.nullable() != null && op.nullable() == column.nullable() && context.schemaIsExact()) {
            // pgroll refuses a change that changes nothing, rather than rewrite the column for it
            throw new InvalidOperationException("column \"" + op.column() + "\" is already "
                    + (column.nullable() ? "nullable" : "NOT NULL") + ", so \"nullable: " + op.nullable()
                    + "\" changes nothing; leave it out");
        }
        ColumnRules.requireRewritable(context, table, column, "alter_column");
        if (op.type() != null) {
            ColumnRules.requireTypeUnchangedAfterRewrite(table, column, "alter_column");
            context.requireType(op.type(), "the new type of column \"" + op.column() + "\"");
        }
        for (String constraint : newConstraintNames()) {
            if (table.constraints().contains(constraint)) {
                throw new InvalidOperationException(
                        "constraint \"" + constraint + "\" already exists on table \"" + op.table() + "\"");
            }
        }
        if (op.references() != null
                && context.schemaIsExact()
                && context.schema().table(op.references().table()).isEmpty()) {
            throw new InvalidOperationException(
                    "the foreign key references table \"" + op.references().table() + "\", which does not exist");
        }
        context.requireUpExpression("`up` of column \"" + op.column() + "\"", op.up(), table);
        context.deferDownExpression("`down` of column \"" + op.column() + "\"", op.down(), table);
    }

    private List<String> newConstraintNames() {
        List<String> names = new ArrayList<>();
        if (op.check() != null) {
            names.add(op.check().name());
        }
        if (op.references() != null) {
            names.add(op.references().name());
        }
        if (op.unique() != null) {
            names.add(op.unique().name());
        }
        return names;
    }

    private ColumnRewrite rewrite(ExecutionContext context) {
        String temporary = ColumnRewrite.copyOf(context, op.table(), op.column());
        List<NotValidConstraint> constraints = new ArrayList<>();
        if (op.check() != null) {
            constraints.add(new NotValidConstraint(
                    op.check().name(),
                    op.check().name(),
                    "CHECK (" + SqlExpressions.renameColumn(op.check().constraint(), op.column(), temporary) + ")"
                            + (op.check().noInherit() ? " NO INHERIT" : "")));
        }
        if (op.references() != null) {
            var ref = op.references();
            constraints.add(new NotValidConstraint(
                    ref.name(),
                    ref.name(),
                    "FOREIGN KEY (" + Sql.ident(temporary) + ") "
                            + ConstraintSql.references(context.physically(ref), context.schemaName())));
        }
        List<ConcurrentIndex> indexes = new ArrayList<>();
        if (op.unique() != null) {
            String index = TemporaryNames.of("new", op.unique().name());
            indexes.add(new ConcurrentIndex(
                    index,
                    op.unique().name(),
                    "CREATE UNIQUE INDEX CONCURRENTLY " + Sql.ident(index) + " ON "
                            + context.qualified(context.table(op.table()).physicalName()) + " (" + Sql.ident(temporary)
                            + ")",
                    "UNIQUE",
                    ""));
        }
        return new ColumnRewrite(context, op.table(), List.of(change()), Set.of(), constraints, indexes);
    }

    private ColumnRewrite.Change change() {
        return new ColumnRewrite.Change(
                op.column(),
                op.type(),
                op.nullable(),
                op.defaultValue(),
                op.comment(),
                DropConstraintOperation.orItself(op.up(), op.column()),
                DropConstraintOperation.orItself(op.down(), op.column()));
    }

    @Override
    public void apply(VirtualSchema schema) {
        if (commentOnly()) {
            return;
        }
        ColumnRewrite.apply(schema, op.table(), List.of(change()));
        schema.table(op.table()).ifPresent(t -> t.constraints().addAll(newConstraintNames()));
    }

    @Override
    public void start(ExecutionContext context) throws SQLException {
        if (!commentOnly()) {
            rewrite(context).start(context);
        }
    }

    @Override
    public void complete(ExecutionContext context) throws SQLException {
        if (commentOnly()) {
            String table = context.table(op.table()).physicalName();
            // a column renamed by this migration may still have its old name: the renames complete last
            context.executor()
                    .inTransaction("COMMENT ON COLUMN " + context.qualified(table) + "."
                            + Sql.ident(context.physicalColumn(op.table(), op.column())) + " IS "
                            + Sql.literal(op.comment().orElse(null)));
            return;
        }
        rewrite(context).complete(context);
    }

    @Override
    public void rollback(ExecutionContext context) throws SQLException {
        if (!commentOnly()) {
            rewrite(context).rollback(context);
        }
    }
}
