package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.sql.SqlExpressions;
import io.pgroll.engine.internal.sql.SqlStates;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The schema an operation is checked against, and the server, for what only the server knows (types). */
public final class ValidationContext {
    /** The serial pseudo-types are not types to_regtype knows, but CREATE TABLE and ADD COLUMN take them. */
    private static final Pattern SERIAL = Pattern.compile("(?i)\\s*(small|big)?serial[248]?\\s*");

    private final VirtualSchema schema;
    private final Connection connection;
    private final List<String> versionSchemas;
    private boolean schemaIsExact = true;

    public ValidationContext(VirtualSchema schema, Connection connection, List<String> versionSchemas) {
        this.schema = schema;
        this.connection = connection;
        this.versionSchemas = List.copyOf(versionSchemas);
    }

    /** The version schemas of this schema's history: complete drops their views, so they block nothing. */
    List<String> versionSchemas() {
        return versionSchemas;
    }

    public VirtualSchema schema() {
        return schema;
    }

    /** Questions to the catalog of the target schema, as it is now. */
    CatalogQueries catalog() {
        return new CatalogQueries(connection, schema.name());
    }

    Connection connection() {
        return connection;
    }

    /**
     * After a raw {@code sql} operation the virtual schema no longer knows what exists (that SQL runs
     * only at start); later checks that need certainty are then left to the server.
     */
    boolean schemaIsExact() {
        return schemaIsExact;
    }

    void schemaBecameUncertain() {
        schemaIsExact = false;
    }

    VirtualTable requireTable(String name) {
        return schema.table(name)
                .orElseThrow(() -> new InvalidOperationException(
                        "table \"" + name + "\" does not exist in schema \"" + schema.name() + "\"" + knownTables()));
    }

    VirtualColumn requireColumn(VirtualTable table, String column) {
        return table.column(column)
                .orElseThrow(() -> new InvalidOperationException("column \"" + column
                        + "\" does not exist in table \"" + table.name() + "\" (its columns: "
                        + String.join(
                                ", ",
                                table.columns().stream()
                                        .map(VirtualColumn::name)
                                        .toList()) + ")"));
    }

    void requireNoTable(String name) {
        if (schema.hasRelation(name)) {
            throw new InvalidOperationException(
                    "a table or index named \"" + name + "\" already exists in schema \"" + schema.name() + "\"");
        }
    }

    /** Refuses a type name the server does not know; skipped once raw SQL may have created types. */
    void requireType(String type, String what) {
        if (!schemaIsExact || SERIAL.matcher(type).matches()) {
            return;
        }
        boolean exists;
        try {
            exists = catalog().typeExists(type);
        } catch (SQLException e) {
            throw new InvalidOperationException(
                    what + " has type \"" + type + "\", which PostgreSQL cannot read: " + e.getMessage(), e);
        }
        if (!exists) {
            throw new InvalidOperationException(what + " has type \"" + type + "\", which does not exist");
        }
    }

    /** A {@code down} expression to check once the new version's whole shape is known. */
    public record DeferredExpression(
            int operation, String what, String expression, String physicalTable, Map<String, String> found) {}

    private final List<DeferredExpression> deferred = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private int operation;

    /** The index of the operation being validated, which deferred checks are reported against. */
    public void validating(int operationIndex) {
        this.operation = operationIndex;
    }

    /**
     * Refuses an {@code up} expression the server cannot read over the old version's row of {@code
     * table} as this operation finds it: each column under its name in the migration and, renamed, under
     * its stored name, as the up trigger declares them.
     */
    void requireUpExpression(String what, String expression, VirtualTable table) {
        requireExpression(what, expression, rowOf(table), false);
    }

    private static Map<String, String> rowOf(VirtualTable table) {
        Map<String, String> row = new LinkedHashMap<>();
        for (VirtualColumn c : table.columns()) {
            row.put(c.name(), ColumnTrigger.declarableType(c.type()));
            if (!c.physicalName().startsWith(VirtualSchema.TEMPORARY_PREFIX)) {
                row.putIfAbsent(c.physicalName(), ColumnTrigger.declarableType(c.type()));
            }
        }
        return row;
    }

    /** A {@code down} expression reads the new version's row, whose shape the whole migration decides. */
    void deferDownExpression(String what, String expression, VirtualTable table) {
        if (expression != null) {
            deferred.add(new DeferredExpression(operation, what, expression, table.physicalName(), rowOf(table)));
        }
    }

    public List<DeferredExpression> deferred() {
        return List.copyOf(deferred);
    }

    /**
     * Checks a deferred {@code down} once every operation applied: over the new version's row of its
     * table, its columns also under the names they had where the operation found them (a check for
     * what cannot be read at all, not a second reading of the migration's renames).
     */
    public void check(DeferredExpression down) {
        Map<String, String> row = new LinkedHashMap<>();
        schema.tables().stream()
                .filter(t -> t.physicalName().equals(down.physicalTable()))
                .findFirst()
                .ifPresent(t -> t.columns().forEach(c -> row.put(c.name(), ColumnTrigger.declarableType(c.type()))));
        down.found().forEach(row::putIfAbsent);
        requireExpression(down.what(), down.expression(), row, true);
    }

    /** What validation let pass but a person should know. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * @param namesMayDiffer whether a name the row lacks is only warned of: pgroll's reader does not read
     *     {@code down}, and its own examples have one naming a column no version has (the trigger fails
     *     only when the new version writes)
     */
    private void requireExpression(String what, String expression, Map<String, String> row, boolean namesMayDiffer) {
        if (expression == null || expression.isBlank()) {
            return;
        }
        String notOne = SqlExpressions.notOneExpression(expression);
        if (notOne != null) {
            // whatever raw SQL ran before: this much needs no server
            throw new InvalidOperationException(what + ", \"" + expression + "\", is not one expression: " + notOne);
        }
        if (!schemaIsExact) {
            return;
        }
        Optional<CatalogQueries.ExpressionProblem> problem;
        try {
            problem = catalog().expressionProblem(expression, row);
        } catch (SQLException e) {
            throw new InvalidOperationException("cannot check " + what + ": " + e.getMessage(), e);
        }
        if (problem.isEmpty()) {
            return;
        }
        String message = what + ", \"" + expression + "\", is not an expression this table can compute: "
                + problem.get().message();
        if (namesMayDiffer && problem.get().sqlState().equals(SqlStates.UNDEFINED_COLUMN)) {
            warnings.add("operation " + (operation + 1) + ": " + message
                    + "; the new version's writes will fail until it is fixed");
            return;
        }
        throw new InvalidOperationException(message);
    }

    private String knownTables() {
        var names = schema.tables().stream().map(VirtualTable::name).toList();
        return names.isEmpty() ? " (it has no tables)" : " (its tables: " + String.join(", ", names) + ")";
    }
}
