package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.model.DropConstraint;
import io.pgroll.engine.model.DropMultiColumnConstraint;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code drop_constraint} (one column) and {@code drop_multicolumn_constraint}: the new version sees
 * copies of the constraint's columns without it; {@code down} keeps the originals valid for it while
 * the old version still relies on it; complete drops the originals, and the constraint with them.
 */
final class DropConstraintOperation extends RewritingOperation {
    private final String kind;
    private final String table;
    private final String name;
    private final Map<String, String> up;
    private final Map<String, String> down;
    private final String singleUp;
    private final String singleDown;

    DropConstraintOperation(DropConstraint op) {
        this(op.kind(), op.table(), op.name(), null, null, op.up(), op.down());
    }

    DropConstraintOperation(DropMultiColumnConstraint op) {
        this(op.kind(), op.table(), op.name(), op.up(), op.down(), null, null);
    }

    private DropConstraintOperation(
            String kind,
            String table,
            String name,
            Map<String, String> up,
            Map<String, String> down,
            String singleUp,
            String singleDown) {
        this.kind = kind;
        this.table = table;
        this.name = name;
        this.up = up;
        this.down = down;
        this.singleUp = singleUp;
        this.singleDown = singleDown;
    }

    private boolean singleColumn() {
        return !kind.equals(DropMultiColumnConstraint.KIND);
    }

    @Override
    public void validate(ValidationContext context) {
        VirtualTable virtual = context.requireTable(table);
        List<String> columns = ConstraintColumns.require(context, virtual, name);
        if (columns == null) {
            return;
        }
        if (singleColumn() && columns.size() != 1) {
            throw new InvalidOperationException("constraint \"" + name + "\" is over " + columns.size() + " columns ("
                    + String.join(", ", columns) + "); use drop_multicolumn_constraint for it");
        }
        if (!singleColumn()) {
            requireCoverage(columns);
        }
        List<VirtualColumn> covered = columns.stream()
                .map(column -> context.requireColumn(virtual, column))
                .toList();
        ColumnRules.requireAllOrNoneRewrittenEarlier(virtual, covered, kind);
        for (VirtualColumn column : covered) {
            ColumnRules.requireRewritable(context, virtual, column, kind);
            String upSql = singleColumn() ? singleUp : up.get(column.name());
            String downSql = singleColumn() ? singleDown : down.get(column.name());
            context.requireUpExpression("`up` of column \"" + column.name() + "\"", upSql, virtual);
            context.deferDownExpression("`down` of column \"" + column.name() + "\"", downSql, virtual);
        }
    }

    /** As pgroll: {@code down} for every column the constraint covers, and no expression for any other. */
    private void requireCoverage(List<String> columns) {
        for (String column : columns) {
            if (!down.containsKey(column)) {
                throw new InvalidOperationException("`down` gives no expression for column \"" + column + "\", which"
                        + " constraint \"" + name + "\" covers (it covers " + String.join(", ", columns) + ")");
            }
        }
        requireCovered("up", up.keySet(), columns);
        requireCovered("down", down.keySet(), columns);
    }

    private void requireCovered(String field, Set<String> named, List<String> columns) {
        for (String column : named) {
            if (!columns.contains(column)) {
                throw new InvalidOperationException(
                        "`" + field + "` names column \"" + column + "\", which constraint \"" + name
                                + "\" does not cover (it covers " + String.join(", ", columns) + ")");
            }
        }
    }

    private List<ColumnRewrite.Change> changes(List<String> columns) {
        List<ColumnRewrite.Change> changes = new ArrayList<>();
        for (String column : columns) {
            String upSql = singleColumn() ? singleUp : up.get(column);
            String downSql = singleColumn() ? singleDown : down.get(column);
            changes.add(ColumnRewrite.Change.keep(column, orItself(upSql, column), orItself(downSql, column)));
        }
        return changes;
    }

    /** A missing expression keeps the value as it is. */
    static String orItself(String expression, String column) {
        return expression == null || expression.isBlank() ? Sql.ident(column) : expression;
    }

    @Override
    ColumnRewrite rewrite(ExecutionContext context) throws SQLException {
        VirtualTable found = context.before()
                .table(table)
                .orElseThrow(() -> new IllegalStateException("table \"" + table + "\" is not in the virtual schema"));
        // the catalog names the physical columns; the migration names them as the new version does
        List<String> columns = context.catalog().constraintColumns(found.physicalName(), name).stream()
                .map(physical ->
                        found.columnReplacing(physical).map(VirtualColumn::name).orElse(physical))
                .toList();
        return new ColumnRewrite(context, table, changes(columns), Set.of(name), List.of(), List.of());
    }

    @Override
    public void apply(VirtualSchema schema) {
        schema.table(table).ifPresent(t -> {
            List<String> columns = t.constraintColumns().getOrDefault(name, List.of());
            ColumnRewrite.apply(schema, table, changes(columns));
            t.constraints().remove(name);
            t.constraintColumns().remove(name);
        });
    }
}
