package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.catalog.CatalogColumn;
import io.pgroll.engine.internal.catalog.CatalogSchema;
import io.pgroll.engine.internal.catalog.CatalogTable;
import io.pgroll.engine.internal.catalog.Index;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The schema as the new version sees it: the physical catalog seen through the logical changes of the
 * migration's operations (a renamed table keeps its physical name until complete, a new column lives
 * in a temporary one, a dropped table stays until complete). Validation walks it, strictly; start,
 * complete and rollback rebuild it from the catalog and the operations, and read physical names from it.
 */
public final class VirtualSchema {
    /** The prefix of every object the tool creates for its own use; such columns are never shown. */
    static final String TEMPORARY_PREFIX = "_pgroll_";

    private final String name;
    private final Map<String, VirtualTable> tables = new LinkedHashMap<>();
    private final Set<String> relationNames = new HashSet<>();
    private final Map<String, String> droppedTables = new HashMap<>();

    private VirtualSchema(String name) {
        this.name = name;
    }

    public static VirtualSchema of(CatalogSchema catalog) {
        VirtualSchema schema = new VirtualSchema(catalog.name());
        for (CatalogTable table : catalog.tables().values()) {
            if (table.name().startsWith(TEMPORARY_PREFIX)) {
                continue; // a dropped table moved aside until complete
            }
            VirtualTable t = new VirtualTable(table.name(), table.name());
            for (CatalogColumn column : table.columns().values()) {
                if (!column.name().startsWith(TEMPORARY_PREFIX)) {
                    t.putColumn(new VirtualColumn(column.name(), column.name(), column.type(), column.nullable()));
                }
            }
            t.constraints().addAll(table.constraintNames());
            table.checkConstraints().values().forEach(c -> t.constraintColumns().put(c.name(), c.columns()));
            table.uniqueConstraints().values().forEach(c -> t.constraintColumns()
                    .put(c.name(), c.columns()));
            table.foreignKeys().values().forEach(c -> t.constraintColumns().put(c.name(), c.columns()));
            if (table.primaryKeyName() != null) {
                t.constraintColumns().put(table.primaryKeyName(), table.primaryKey());
            }
            t.primaryKey().addAll(table.primaryKey());
            schema.tables.put(table.name(), t);
            schema.relationNames.add(table.name());
            for (Index index : table.indexes().values()) {
                schema.relationNames.add(index.name());
                t.indexNames().add(index.name());
            }
        }
        return schema;
    }

    String name() {
        return name;
    }

    List<VirtualTable> tables() {
        return new ArrayList<>(tables.values());
    }

    Optional<VirtualTable> table(String tableName) {
        return Optional.ofNullable(tables.get(tableName));
    }

    void addTable(VirtualTable table) {
        tables.put(table.name(), table);
        relationNames.add(table.physicalName());
    }

    /**
     * Hides a table from the new version; its physical name is remembered for complete to drop it. Its
     * name and its indexes' names are free for later operations: start moves the table aside if one
     * of them takes one.
     */
    void dropTable(String tableName) {
        VirtualTable table = tables.remove(tableName);
        if (table != null) {
            droppedTables.put(tableName, table.physicalName());
            relationNames.remove(table.physicalName());
            table.indexNames().forEach(relationNames::remove);
        }
    }

    /** The physical name of a table that {@link #dropTable} hid, or the name itself. */
    String droppedTablePhysicalName(String tableName) {
        return droppedTables.getOrDefault(tableName, tableName);
    }

    void renameTable(String from, String to) {
        Map<String, VirtualTable> copy = new LinkedHashMap<>(tables);
        tables.clear();
        copy.forEach((key, table) -> {
            if (key.equals(from)) {
                table.rename(to);
            }
            tables.put(table.name(), table);
        });
    }

    /** Whether a relation (table, index, view, sequence) of that name is known in the schema. */
    boolean hasRelation(String relationName) {
        return relationNames.contains(relationName) || tables.containsKey(relationName);
    }

    void addRelation(String relationName) {
        relationNames.add(relationName);
    }

    void removeRelation(String relationName) {
        relationNames.remove(relationName);
    }
}
