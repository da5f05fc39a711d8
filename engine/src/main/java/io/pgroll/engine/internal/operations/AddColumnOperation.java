package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.backfill.Backfill;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.internal.sql.SqlExpressions;
import io.pgroll.engine.model.AddColumn;
import io.pgroll.engine.model.Column;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code add_column}: the column is added under a temporary name ({@code _pgroll_new_<name>}) that
 * only the new version's view maps to its real name; complete renames it.
 *
 * <p>Nothing here rewrites or scans the table under a lock that blocks writes: NOT NULL without a
 * usable default starts as a {@code CHECK (col IS NOT NULL) NOT VALID}, validated after the backfill
 * (SHARE UPDATE EXCLUSIVE), so complete's SET NOT NULL needs no scan; a volatile default, which
 * PostgreSQL would compute by rewriting the table, is set for new rows only and the existing rows are
 * backfilled; constraints are added NOT VALID and validated after the backfill; a unique column gets
 * its index built concurrently and attached at complete.
 */
final class AddColumnOperation implements OperationAction {
    private final AddColumn op;
    private final Column column;

    AddColumnOperation(AddColumn op) {
        this.op = op;
        this.column = op.column();
    }

    static String temporaryName(String column) {
        return VirtualSchema.TEMPORARY_PREFIX + "new_" + column;
    }

    private String notNullCheckName() {
        return VirtualSchema.TEMPORARY_PREFIX + "check_not_null_" + column.name();
    }

    private String uniqueIndexName(String table) {
        return VirtualSchema.TEMPORARY_PREFIX + "unique_" + table + "_" + column.name();
    }

    @Override
    public void validate(ValidationContext context) {
        VirtualTable table = context.requireTable(op.table());
        if (table.column(column.name()).isPresent()) {
            throw new InvalidOperationException(
                    "column \"" + column.name() + "\" already exists in table \"" + op.table() + "\"");
        }
        context.requireType(column.type(), "column \"" + column.name() + "\"");
        if (column.pk()) {
            throw new InvalidOperationException("column \"" + column.name() + "\" is marked pk, but add_column cannot "
                    + "add to a primary key; use create_constraint with type primary_key");
        }
        if (column.generated() != null) {
            throw new InvalidOperationException("column \"" + column.name() + "\" is generated: adding a generated or "
                    + "identity column rewrites the whole table under an ACCESS EXCLUSIVE lock, which this tool "
                    + "refuses to do to a live table; add a plain column with an `up` expression instead");
        }
        if (!column.nullable() && column.defaultValue() == null && op.up() == null) {
            throw new InvalidOperationException("column \"" + column.name() + "\" is NOT NULL without a default: give "
                    + "it an `up` expression so the existing rows get a value, a default, or make it nullable");
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
            table.putColumn(
                    new VirtualColumn(column.name(), temporaryName(column.name()), column.type(), column.nullable()));
            table.constraints().addAll(constraintNames());
        });
    }

    @Override
    public void start(ExecutionContext context) throws SQLException {
        VirtualTable table = context.table(op.table());
        String physicalTable = table.physicalName();
        String qualifiedTable = context.qualified(physicalTable);
        String temporary = temporaryName(column.name());
        boolean volatileDefault = column.defaultValue() != null && isVolatile(context, column.defaultValue());
        String fill = op.up() != null ? op.up() : volatileDefault ? column.defaultValue() : null;
        boolean notNullNow = !column.nullable() && fill == null;

        List<String> statements = new ArrayList<>();
        StringBuilder add = new StringBuilder(
                "ALTER TABLE " + qualifiedTable + " ADD COLUMN " + Sql.ident(temporary) + " " + column.type());
        if (column.defaultValue() != null && !volatileDefault) {
            add.append(" DEFAULT ").append(column.defaultValue());
        }
        if (notNullNow) {
            // a non-volatile default fills every row at once (a catalog-only "missing value"): no scan
            add.append(" NOT NULL");
        }
        statements.add(add.toString());
        if (volatileDefault) {
            statements.add("ALTER TABLE " + qualifiedTable + " ALTER COLUMN " + Sql.ident(temporary) + " SET DEFAULT "
                    + column.defaultValue());
        }
        if (!column.nullable() && !notNullNow) {
            statements.add("ALTER TABLE " + qualifiedTable + " ADD CONSTRAINT " + Sql.ident(notNullCheckName())
                    + " CHECK (" + Sql.ident(temporary) + " IS NOT NULL) NOT VALID");
        }
        if (column.check() != null) {
            statements.add("ALTER TABLE " + qualifiedTable + " ADD CONSTRAINT "
                    + Sql.ident(column.check().name())
                    + " CHECK (" + SqlExpressions.renameColumn(column.check().constraint(), column.name(), temporary)
                    + ")" + (column.check().noInherit() ? " NO INHERIT" : "") + " NOT VALID");
        }
        if (column.references() != null) {
            var ref = column.references();
            String referenced = context.schema()
                    .table(ref.table())
                    .map(VirtualTable::physicalName)
                    .orElse(ref.table());
            // SHARE ROW EXCLUSIVE on both tables, for a catalog change only: NOT VALID skips the scan
            statements.add("ALTER TABLE " + qualifiedTable + " ADD CONSTRAINT " + Sql.ident(ref.name())
                    + " FOREIGN KEY ("
                    + Sql.ident(temporary) + ") " + ConstraintSql.references(ref, referenced, context.schemaName())
                    + " NOT VALID");
        }
        if (column.comment() != null) {
            statements.add("COMMENT ON COLUMN " + qualifiedTable + "." + Sql.ident(temporary) + " IS "
                    + Sql.literal(column.comment()));
        }
        ColumnTrigger trigger = fill == null ? null : trigger(context, table, fill);
        if (trigger != null) {
            statements.addAll(trigger.create(context));
        }
        // One short transaction: the column and the trigger that fills it appear together.
        context.executor().inTransaction(statements);

        if (trigger != null) {
            new Backfill(
                            context.connection(),
                            context.schemaName(),
                            physicalTable,
                            BackfillKeys.of(context, physicalTable),
                            context.backfillBatchSize(),
                            context.backfillBatchDelay(),
                            context.listener())
                    .run();
        }
        // Validation scans the table under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes.
        for (String constraint : validatedAtStart(notNullNow)) {
            context.executor()
                    .concurrently("ALTER TABLE " + qualifiedTable + " VALIDATE CONSTRAINT " + Sql.ident(constraint));
        }
        if (column.unique()) {
            context.executor()
                    .concurrently("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "
                            + Sql.ident(uniqueIndexName(physicalTable)) + " ON " + qualifiedTable + " ("
                            + Sql.ident(temporary) + ")");
        }
    }

    private List<String> validatedAtStart(boolean notNullNow) {
        List<String> names = new ArrayList<>();
        if (!column.nullable() && !notNullNow) {
            names.add(notNullCheckName());
        }
        names.addAll(constraintNames());
        return names;
    }

    private ColumnTrigger trigger(ExecutionContext context, VirtualTable table, String expression) {
        List<String> rowColumns = table.columns().stream()
                .map(VirtualColumn::physicalName)
                .filter(c -> !c.startsWith(VirtualSchema.TEMPORARY_PREFIX))
                .toList();
        return new ColumnTrigger(
                context.schemaName(),
                table.physicalName(),
                temporaryName(column.name()),
                expression,
                rowColumns,
                column.name());
    }

    /**
     * Whether PostgreSQL would rewrite the table to add a column with this default (it does for a
     * volatile one). Asked of the server on an empty temporary table, in a transaction rolled back.
     */
    private boolean isVolatile(ExecutionContext context, String defaultValue) throws SQLException {
        var c = context.connection();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMPORARY TABLE _pgroll_default_probe (x int)");
            st.execute("INSERT INTO _pgroll_default_probe VALUES (1)");
            st.execute(
                    "ALTER TABLE _pgroll_default_probe ADD COLUMN probe " + column.type() + " DEFAULT " + defaultValue);
            try (PreparedStatement ps = c.prepareStatement("SELECT atthasmissing FROM pg_attribute "
                            + "WHERE attrelid = 'pg_temp._pgroll_default_probe'::regclass AND attname = 'probe'");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return !rs.getBoolean(1);
            }
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    @Override
    public void complete(ExecutionContext context) throws SQLException {
        VirtualTable table = context.table(op.table());
        String qualifiedTable = context.qualified(table.physicalName());
        String temporary = temporaryName(column.name());
        List<String> statements =
                new ArrayList<>(trigger(context, table, "NULL").drop());
        if (Catalog.columnExists(context, table.physicalName(), temporary)) {
            // ACCESS EXCLUSIVE for catalog changes only: SET NOT NULL uses the validated check, no scan
            statements.add("ALTER TABLE " + qualifiedTable + " RENAME COLUMN " + Sql.ident(temporary) + " TO "
                    + Sql.ident(column.name()));
            statements.addAll(Catalog.renameIndexColumns(context, table.physicalName(), temporary, column.name()));
        }
        if (!column.nullable()) {
            statements.add(
                    "ALTER TABLE " + qualifiedTable + " ALTER COLUMN " + Sql.ident(column.name()) + " SET NOT NULL");
            statements.add(
                    "ALTER TABLE " + qualifiedTable + " DROP CONSTRAINT IF EXISTS " + Sql.ident(notNullCheckName()));
        }
        String index = uniqueIndexName(table.physicalName());
        if (column.unique() && Catalog.indexExists(context, index)) {
            statements.add("ALTER TABLE " + qualifiedTable + " ADD CONSTRAINT "
                    + Sql.ident(table.physicalName() + "_" + column.name() + "_key") + " UNIQUE USING INDEX "
                    + Sql.ident(index));
        }
        context.executor().inTransaction(statements);
        table.putColumn(new VirtualColumn(column.name(), column.name(), column.type(), column.nullable()));
    }

    @Override
    public void rollback(ExecutionContext context) throws SQLException {
        VirtualTable table = context.table(op.table());
        String temporary = temporaryName(column.name());
        if (!Catalog.columnExists(context, table.physicalName(), temporary)
                && !Catalog.functionExists(context, ColumnTrigger.name(table.physicalName(), column.name()))) {
            return; // start never got this far: take no lock at all
        }
        List<String> statements =
                new ArrayList<>(trigger(context, table, "NULL").drop());
        // Dropping the column drops its constraints and index with it; the table is not rewritten.
        statements.add("ALTER TABLE " + context.qualified(table.physicalName()) + " DROP COLUMN IF EXISTS "
                + Sql.ident(temporaryName(column.name())));
        context.executor().inTransaction(statements);
    }
}
