package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.catalog.CatalogQueries;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
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

    private String knownTables() {
        var names = schema.tables().stream().map(VirtualTable::name).toList();
        return names.isEmpty() ? " (it has no tables)" : " (its tables: " + String.join(", ", names) + ")";
    }
}
