package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.internal.sql.SqlExpressions;
import io.pgroll.engine.model.AddColumn;
import io.pgroll.engine.model.Column;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code add_column}: the column is added under a temporary name that only the new version's view
 * maps to its real name, filled for the old version's writes by {@code up}; complete renames it.
 * How it is added without blocking writes is {@link ColumnExpansion}'s business.
 */
final class AddColumnOperation implements OperationAction {
    private final AddColumn op;
    private final Column column;

    AddColumnOperation(AddColumn op) {
        this.op = op;
        this.column = op.column();
    }

    @Override
    public void validate(ValidationContext context) {
        VirtualTable table = context.requireTable(op.table());
        if (table.column(column.name()).isPresent()) {
            throw new InvalidOperationException(
                    "column \"" + column.name() + "\" already exists in table \"" + op.table() + "\"");
        }
        ColumnRules.requireCopyNameFree(table, column.name(), column.name());
        context.requireType(column.type(), "column \"" + column.name() + "\"");
        if (column.pk()) {
            throw new InvalidOperationException("column \"" + column.name() + "\" is marked pk, but add_column cannot "
                    + "add to a primary key; use create_constraint with type primary_key");
        }
        if (serial() && column.defaultValue() != null) {
            throw new InvalidOperationException("column \"" + column.name() + "\" is " + column.type() + ", whose "
                    + "default is its own sequence's next value; leave `default` out");
        }
        if (serial() && sequenceBase(table.physicalName()).getBytes(StandardCharsets.UTF_8).length > 63) {
            throw new InvalidOperationException("column \"" + column.name() + "\" is " + column.type() + ", and its "
                    + "sequence's name \"" + sequenceBase(table.physicalName()) + "\" would be longer than "
                    + "PostgreSQL's 63 bytes; choose a shorter column name");
        }
        if (column.generated() != null) {
            throw new InvalidOperationException("column \"" + column.name() + "\" is generated: adding a generated or "
                    + "identity column rewrites the whole table under an ACCESS EXCLUSIVE lock, which this tool "
                    + "refuses to do to a live table; add a plain column with an `up` expression instead");
        }
        if (!column.nullable() && column.defaultValue() == null && op.up() == null && !serial()) {
            throw new InvalidOperationException("column \"" + column.name() + "\" is NOT NULL without a default: give "
                    + "it an `up` expression so the existing rows get a value, a default, or make it nullable");
        }
        context.requireUpExpression("`up` of column \"" + column.name() + "\"", op.up(), table);
        if (op.up() != null
                && column.defaultValue() != null
                && !op.up().strip().equals(column.defaultValue().strip())
                && context.schemaIsExact()
                && hasVolatileDefault(context)) {
            // existing rows would get up's value and new rows the default's, a different one each time
            throw new InvalidOperationException("column \"" + column.name() + "\" has the volatile default `"
                    + column.defaultValue() + "` and a different `up` (`" + op.up() + "`), which pgroll refuses"
                    + " too; make `up` the default's expression, or leave `up` out");
        }
        if (column.references() != null
                && context.schemaIsExact()
                && context.schema().table(column.references().table()).isEmpty()) {
            throw new InvalidOperationException("column \"" + column.name() + "\" references table \""
                    + column.references().table() + "\", which does not exist");
        }
        for (String constraint : constraintNames()) {
            if (table.constraints().contains(constraint)) {
                throw new InvalidOperationException(
                        "constraint \"" + constraint + "\" already exists on table \"" + op.table() + "\"");
            }
        }
    }

    /**
     * A serial column is added online, unlike PostgreSQL's own {@code ADD COLUMN ... serial}, which
     * rewrites the table: an integer column whose default is a new sequence's next value, set for new
     * rows only; the existing rows are numbered by the batched backfill, and NOT NULL comes from a check
     * validated after it. The sequence belongs to the column from the start, so rollback's drop of the
     * column drops it too.
     */
    private boolean serial() {
        return !ColumnTrigger.declarableType(column.type()).equals(column.type());
    }

    private String sequenceBase(String table) {
        return table + "_" + column.name() + "_seq";
    }

    /** The serial column's sequence: named as PostgreSQL names it, with a number if that name is taken. */
    private String freeSequenceName(ExecutionContext context, String table) throws SQLException {
        String name = sequenceBase(table);
        for (int i = 1; context.catalog().relationExists(name); i++) {
            name = sequenceBase(table) + i;
        }
        return name;
    }

    /** Whether the default is volatile: only then does PostgreSQL rewrite the table to add the column with it. */
    private boolean hasVolatileDefault(ValidationContext context) {
        try {
            return !context.catalog().addingColumnRewrites(column.type(), null)
                    && context.catalog().addingColumnRewrites(column.type(), column.defaultValue());
        } catch (SQLException e) {
            throw new InvalidOperationException(
                    "cannot tell whether the default of column \"" + column.name() + "\" is volatile: "
                            + e.getMessage(),
                    e);
        }
    }

    private List<String> constraintNames() {
        List<String> names = new ArrayList<>();
        if (column.check() != null) {
            names.add(column.check().name());
        }
        if (column.references() != null) {
            names.add(column.references().name());
        }
        return names;
    }

    @Override
    public void apply(VirtualSchema schema) {
        schema.table(op.table()).ifPresent(table -> {
            table.putColumn(new VirtualColumn(
                    column.name(), TemporaryNames.newColumn(column.name()), column.type(), column.nullable()));
            table.constraints().addAll(constraintNames());
        });
    }

    private ColumnExpansion expansion(ExecutionContext context, VirtualTable table, String defaultValue)
            throws SQLException {
        String physical = table.physicalName();
        String temporary = TemporaryNames.newColumn(column.name());
        List<ColumnExpansion.NotValidConstraint> constraints = new ArrayList<>();
        if (column.check() != null) {
            constraints.add(new ColumnExpansion.NotValidConstraint(
                    column.check().name(),
                    column.check().name(),
                    "CHECK (" + SqlExpressions.renameColumn(column.check().constraint(), column.name(), temporary) + ")"
                            + (column.check().noInherit() ? " NO INHERIT" : "")));
        }
        if (column.references() != null) {
            var ref = column.references();
            constraints.add(new ColumnExpansion.NotValidConstraint(
                    ref.name(),
                    ref.name(),
                    "FOREIGN KEY (" + Sql.ident(temporary) + ") "
                            + ConstraintSql.references(context.physically(ref), context.schemaName())));
        }
        List<ColumnExpansion.ConcurrentIndex> indexes = new ArrayList<>();
        if (column.unique()) {
            String index =
                    TemporaryNames.of("unique", String.valueOf(context.catalog().oid(physical)), column.name());
            indexes.add(new ColumnExpansion.ConcurrentIndex(
                    index,
                    physical + "_" + column.name() + "_key",
                    "CREATE UNIQUE INDEX CONCURRENTLY " + Sql.ident(index) + " ON " + context.qualified(physical) + " ("
                            + Sql.ident(temporary) + ")",
                    "UNIQUE",
                    ""));
        }
        return new ColumnExpansion(
                context.schemaName(),
                physical,
                column.name(),
                ColumnTrigger.declarableType(column.type()),
                column.nullable(),
                defaultValue,
                column.comment(),
                constraints,
                indexes,
                op.up(),
                ColumnTrigger.oldVersionRow(context, physical));
    }

    @Override
    public void start(ExecutionContext context) throws SQLException {
        VirtualTable table = context.table(op.table());
        if (!serial()) {
            ColumnExpansion expansion = expansion(context, table, column.defaultValue());
            context.executor().inTransaction(expansion.expand(context));
            fill(context, table, expansion);
            return;
        }
        String sequence = context.qualified(freeSequenceName(context, table.physicalName()));
        ColumnExpansion expansion = expansion(context, table, "nextval(" + Sql.literal(sequence) + "::regclass)");
        expansion.knownVolatileDefault();
        List<String> statements = new ArrayList<>();
        statements.add("CREATE SEQUENCE " + sequence + " AS " + ColumnTrigger.declarableType(column.type()));
        statements.addAll(expansion.expand(context));
        statements.add("ALTER SEQUENCE " + sequence + " OWNED BY " + context.qualified(table.physicalName()) + "."
                + Sql.ident(TemporaryNames.newColumn(column.name())));
        context.executor().inTransaction(statements);
        fill(context, table, expansion);
    }

    private static void fill(ExecutionContext context, VirtualTable table, ColumnExpansion expansion)
            throws SQLException {
        if (expansion.needsBackfill(context)) {
            ColumnExpansion.backfill(context, table.physicalName(), List.of(expansion));
        }
        expansion.afterBackfill(context);
    }

    @Override
    public void complete(ExecutionContext context) throws SQLException {
        VirtualTable table = context.table(op.table());
        context.executor()
                .inTransaction(expansion(context, table, column.defaultValue()).contract(context));
        table.putColumn(new VirtualColumn(column.name(), column.name(), column.type(), column.nullable()));
    }

    @Override
    public void rollback(ExecutionContext context) throws SQLException {
        String table = context.table(op.table()).physicalName();
        if (ColumnExpansion.leftAnything(context, table, column.name())) {
            context.executor().inTransaction(ColumnExpansion.rollback(context, table, column.name()));
        }
    }
}
