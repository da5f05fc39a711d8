package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.backfill.Backfill;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.internal.sql.SqlExpressions;
import io.pgroll.engine.internal.sql.SqlStates;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A column's shape in the new version, held in a temporary column ({@code _pgroll_new_<name>}) while the
 * migration is active: what add_column creates, and what the column-rewriting operations create beside
 * the column they change.
 *
 * <p>Nothing here rewrites or scans the table under a lock that blocks writes. The column is added
 * with a catalog-only change; NOT NULL starts as {@code CHECK (col IS NOT NULL) NOT VALID} and other
 * constraints as NOT VALID, all validated after the backfill under SHARE UPDATE EXCLUSIVE, so that
 * complete's SET NOT NULL needs no scan; a volatile default, which PostgreSQL would compute by
 * rewriting the table, applies to new rows and the existing ones are backfilled; unique indexes are
 * built concurrently and attached at complete. Start, complete and rollback are safe to run again.
 */
final class ColumnExpansion {
    /** A constraint added NOT VALID at start, validated after the backfill, renamed at complete. */
    record NotValidConstraint(String startName, String finalName, String definition, boolean validate) {
        /** A new constraint, validated after the backfill. */
        NotValidConstraint(String startName, String finalName, String definition) {
            this(startName, finalName, definition, true);
        }
    }

    /**
     * An index built concurrently at start; at complete renamed, or attached as a constraint when
     * {@code constraintType} is {@code UNIQUE} or {@code PRIMARY KEY} (then {@code constraintSuffix}
     * carries its deferral clauses).
     */
    record ConcurrentIndex(
            String startName, String finalName, String createSql, String constraintType, String constraintSuffix) {}

    private final String schema;
    private final String table;
    private final String column;
    private final String temporary;
    private final String type;
    private final boolean nullable;
    private final String defaultValue;
    private final String comment;
    private final List<NotValidConstraint> constraints;
    private final List<ConcurrentIndex> indexes;
    private final String up;
    private final Map<String, ColumnTrigger.Variable> upVariables;
    private Boolean volatileDefault;

    /**
     * @param table the physical table
     * @param column the column the copy is for, which names the copy: the new column's name when adding
     *     one, the physical column it replaces when rewriting one
     * @param up how old-version rows compute the column, or null when no row needs computing
     * @param upVariables the old version's row for {@code up}: variable name to physical column
     */
    ColumnExpansion(
            String schema,
            String table,
            String column,
            String type,
            boolean nullable,
            String defaultValue,
            String comment,
            List<NotValidConstraint> constraints,
            List<ConcurrentIndex> indexes,
            String up,
            Map<String, ColumnTrigger.Variable> upVariables) {
        this.schema = schema;
        this.table = table;
        this.column = column;
        this.temporary = TemporaryNames.newColumn(column);
        this.type = type;
        this.nullable = nullable;
        this.defaultValue = defaultValue;
        this.comment = comment;
        this.constraints = List.copyOf(constraints);
        this.indexes = List.copyOf(indexes);
        this.up = up;
        this.upVariables = Map.copyOf(upVariables);
    }

    private String notNullCheck() {
        return notNullCheck(column);
    }

    static String notNullCheck(String column) {
        return TemporaryNames.of("check_not_null", column);
    }

    private String qualifiedTable() {
        return Sql.qualified(schema, table);
    }

    /**
     * The statements of start's short transaction: the column and everything that keeps it filled
     * appear together. The backfill, if the column needs one, is the caller's (one per table).
     */
    List<String> expand(ExecutionContext context) throws SQLException {
        boolean volatileDefault = isVolatile(context);
        String fill = fillExpression(volatileDefault);
        boolean notNullAtOnce = !nullable && fill == null && defaultValue != null;
        List<String> statements = new ArrayList<>();
        StringBuilder add = new StringBuilder(
                "ALTER TABLE " + qualifiedTable() + " ADD COLUMN " + Sql.ident(temporary) + " " + type);
        if (defaultValue != null && !volatileDefault) {
            add.append(" DEFAULT ").append(defaultValue);
        }
        if (notNullAtOnce) {
            // a non-volatile default fills every row at once (a catalog-only "missing value"): no scan
            add.append(" NOT NULL");
        }
        statements.add(add.toString());
        if (volatileDefault) {
            statements.add("ALTER TABLE " + qualifiedTable() + " ALTER COLUMN " + Sql.ident(temporary) + " SET DEFAULT "
                    + defaultValue);
        }
        if (!nullable && !notNullAtOnce) {
            statements.add("ALTER TABLE " + qualifiedTable() + " ADD CONSTRAINT " + Sql.ident(notNullCheck())
                    + " CHECK (" + Sql.ident(temporary) + " IS NOT NULL) NOT VALID");
        }
        for (NotValidConstraint c : constraints) {
            // SHARE ROW EXCLUSIVE at most (a foreign key, on both tables), for a catalog change only
            statements.add("ALTER TABLE " + qualifiedTable() + " ADD CONSTRAINT " + Sql.ident(c.startName()) + " "
                    + c.definition() + " NOT VALID");
        }
        if (comment != null) {
            statements.add("COMMENT ON COLUMN " + qualifiedTable() + "." + Sql.ident(temporary) + " IS "
                    + Sql.literal(comment));
        }
        if (fill != null) {
            statements.addAll(upTrigger(context, fill).create(context));
        }
        return statements;
    }

    /** Whether existing rows must be touched for the up trigger to fill them. */
    boolean needsBackfill(ExecutionContext context) throws SQLException {
        return fillExpression(isVolatile(context)) != null;
    }

    /**
     * The copy's value as the backfill's own UPDATE can compute it, by physical column: {@code up}
     * when every column it reads is named as it is stored. Otherwise (a column renamed earlier in
     * the migration, the volatile default's own value) only the trigger can, and the backfill touches
     * the rows for it.
     */
    Optional<Map.Entry<String, String>> computedFill() {
        if (up == null) {
            return Optional.empty();
        }
        boolean asStored = upVariables.entrySet().stream()
                .filter(v -> SqlExpressions.mentions(up, v.getKey()))
                .allMatch(v -> v.getKey().equals(v.getValue().column()));
        return asStored ? Optional.of(Map.entry(temporary, up)) : Optional.empty();
    }

    private String fillExpression(boolean volatileDefault) {
        if (up != null) {
            return up;
        }
        // Only rows that have no value yet (the backfill's): an old version's insert got the default
        // already, and its updates must not draw a new random value or a new sequence number.
        return volatileDefault ? "COALESCE(NEW." + Sql.ident(temporary) + ", " + defaultValue + ")" : null;
    }

    private ColumnTrigger upTrigger(ExecutionContext context, String expression) throws SQLException {
        return new ColumnTrigger(
                context, table, column, ColumnTrigger.Direction.UP, temporary, expression, upVariables);
    }

    /** After the backfill: validates the NOT VALID constraints and builds the indexes, none blocking writes. */
    void afterBackfill(ExecutionContext context) throws SQLException {
        if (context.catalog().constraintExists(table, notNullCheck())) {
            validate(context, notNullCheck());
        }
        for (NotValidConstraint c : constraints) {
            if (c.validate()) {
                validate(context, c.startName());
            }
        }
        for (ConcurrentIndex index : indexes) {
            ConcurrentIndexes.build(context, index.startName(), index.createSql());
        }
    }

    private void validate(ExecutionContext context, String constraint) throws SQLException {
        // SHARE UPDATE EXCLUSIVE: the scan blocks neither reads nor writes
        context.executor()
                .concurrently("ALTER TABLE " + qualifiedTable() + " VALIDATE CONSTRAINT " + Sql.ident(constraint));
    }

    /**
     * Complete's statements for this column, for one transaction (ACCESS EXCLUSIVE, catalog changes
     * only, under the lock timeout): its trigger goes, the copy takes the column's name and, if it was
     * checked NOT NULL, becomes NOT NULL using the validated check (no scan under the lock); then the
     * constraints and indexes take their final names. The caller puts first whatever must go before
     * (the original column a rewrite replaces). Safe to compute again after it ran.
     */
    List<String> contract(ExecutionContext context) throws SQLException {
        List<String> statements = contractColumn(context, schema, table, column, column);
        statements.addAll(contractConstraints(context, table, constraints, indexes));
        return statements;
    }

    /** The copy made for {@code column} takes the name {@code finalName}, and NOT NULL if checked so. */
    static List<String> contractColumn(
            ExecutionContext context, String schema, String table, String column, String finalName)
            throws SQLException {
        String qualifiedTable = Sql.qualified(schema, table);
        String temporary = TemporaryNames.newColumn(column);
        List<String> statements =
                new ArrayList<>(ColumnTrigger.drop(context, table, column, ColumnTrigger.Direction.UP));
        if (context.catalog().columnExists(table, temporary)) {
            statements.add("ALTER TABLE " + qualifiedTable + " RENAME COLUMN " + Sql.ident(temporary) + " TO "
                    + Sql.ident(finalName));
            statements.addAll(ColumnExpansion.renameIndexColumns(context, table, temporary, finalName));
            // PostgreSQL 18 names NOT NULL constraints after the column they were made on
            for (String notNull : context.catalog().notNullConstraints(table, temporary)) {
                statements.add("ALTER TABLE " + qualifiedTable + " RENAME CONSTRAINT " + Sql.ident(notNull) + " TO "
                        + Sql.ident(table + "_" + finalName + "_not_null"));
            }
        }
        String notNullCheck = notNullCheck(column);
        if (context.catalog().constraintExists(table, notNullCheck)) {
            statements.add("ALTER TABLE " + qualifiedTable + " ALTER COLUMN " + Sql.ident(finalName) + " SET NOT NULL");
            statements.add("ALTER TABLE " + qualifiedTable + " DROP CONSTRAINT " + Sql.ident(notNullCheck));
        }
        return statements;
    }

    static List<String> contractConstraints(
            ExecutionContext context, String table, List<NotValidConstraint> constraints, List<ConcurrentIndex> indexes)
            throws SQLException {
        String qualifiedTable = context.qualified(table);
        List<String> statements = new ArrayList<>();
        for (NotValidConstraint c : constraints) {
            if (!c.startName().equals(c.finalName()) && context.catalog().constraintExists(table, c.startName())) {
                statements.add("ALTER TABLE " + qualifiedTable + " RENAME CONSTRAINT " + Sql.ident(c.startName())
                        + " TO " + Sql.ident(c.finalName()));
            }
        }
        for (ConcurrentIndex index : indexes) {
            if (!context.catalog().relationExists(index.startName())) {
                continue; // attached or renamed by an earlier run of this complete
            }
            if (index.constraintType() != null) {
                statements.add("ALTER TABLE " + qualifiedTable + " ADD CONSTRAINT " + Sql.ident(index.finalName()) + " "
                        + index.constraintType() + " USING INDEX " + Sql.ident(index.startName())
                        + index.constraintSuffix());
            } else if (!index.startName().equals(index.finalName())) {
                statements.add("ALTER INDEX " + context.qualified(index.startName()) + " RENAME TO "
                        + Sql.ident(index.finalName()));
            }
        }
        return statements;
    }

    /** Whether start got far enough to leave anything of this column behind. */
    static boolean leftAnything(ExecutionContext context, String table, String column) throws SQLException {
        return context.catalog().columnExists(table, TemporaryNames.newColumn(column))
                || context.catalog()
                        .functionExists(ColumnTrigger.name(context, table, column, ColumnTrigger.Direction.UP));
    }

    /** Rollback's statements: the trigger, then the copy, which takes its constraints and indexes along. */
    static List<String> rollback(ExecutionContext context, String table, String column) throws SQLException {
        String schema = context.schemaName();
        List<String> statements =
                new ArrayList<>(ColumnTrigger.drop(context, table, column, ColumnTrigger.Direction.UP));
        statements.add("ALTER TABLE " + Sql.qualified(schema, table) + " DROP COLUMN IF EXISTS "
                + Sql.ident(TemporaryNames.newColumn(column)));
        return statements;
    }

    /**
     * Runs a backfill of a table that fills the expansions' copies on every existing row: computed by
     * its own statements when each of them can be, else by touching the rows for their up triggers.
     */
    static void backfill(ExecutionContext context, String table, List<ColumnExpansion> expansions) throws SQLException {
        Map<String, String> computed = new LinkedHashMap<>();
        for (ColumnExpansion expansion : expansions) {
            Optional<Map.Entry<String, String>> fill = expansion.computedFill();
            if (fill.isEmpty()) {
                computed.clear();
                break;
            }
            computed.put(fill.get().getKey(), fill.get().getValue());
        }
        backfill(context, table, computed);
    }

    /** Runs a backfill of a table that touches every existing row, so that its up triggers fill their columns. */
    static void touchAll(ExecutionContext context, String table) throws SQLException {
        backfill(context, table, Map.of());
    }

    private static void backfill(ExecutionContext context, String table, Map<String, String> computed)
            throws SQLException {
        new Backfill(
                        context.executor(),
                        context.schemaName(),
                        table,
                        context.catalog().uniqueNotNullKey(table),
                        context.backfillPacing(),
                        computed,
                        context.listener())
                .run();
    }

    /**
     * Whether PostgreSQL would rewrite the table to add a column with this default (it does for a
     * volatile one). Asked of the server on an empty temporary table, in a transaction rolled back: with
     * no row, not even a volatile default (nextval) is evaluated.
     */
    /** The default is known to be volatile (a sequence made in start's own transaction): no need to ask. */
    void knownVolatileDefault() {
        volatileDefault = true;
    }

    private boolean isVolatile(ExecutionContext context) throws SQLException {
        if (volatileDefault == null) {
            if (context.catalog().addingColumnRewrites(type, null)) {
                // a domain with constraints, or serial: PostgreSQL computes every row's value by rewriting
                throw new SQLException(
                        "adding a column of type " + type + " rewrites the whole table under an ACCESS "
                                + "EXCLUSIVE lock, which this tool refuses to do to a live table; use a plain type (for serial: "
                                + "integer with a default nextval of a sequence made beforehand)",
                        SqlStates.FEATURE_NOT_SUPPORTED);
            }
            volatileDefault = defaultValue != null && context.catalog().addingColumnRewrites(type, defaultValue);
        }
        return volatileDefault;
    }

    /**
     * An index keeps the names its columns had when it was built; renaming the table's column does not
     * rename them. Renamed too, so that no {@code _pgroll_} name outlives the migration.
     */
    static List<String> renameIndexColumns(ExecutionContext context, String table, String from, String to)
            throws SQLException {
        List<String> statements = new ArrayList<>();
        for (String index : context.catalog().indexesWithColumn(table, from)) {
            statements.add("ALTER TABLE " + context.qualified(index) + " RENAME COLUMN " + Sql.ident(from) + " TO "
                    + Sql.ident(to));
        }
        return statements;
    }
}
