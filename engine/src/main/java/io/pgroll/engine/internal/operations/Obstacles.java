package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.catalog.CatalogSchema;
import io.pgroll.engine.internal.catalog.CatalogTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What was built since start, outside the migrated schema's tables, on something {@code complete} or
 * {@code rollback} drops: a view of another schema on a column complete drops makes it fail half-way,
 * after it retired the old version; a view on a version schema's view would be dropped with that
 * schema, unasked, and so would anything made by hand inside that version schema. Start refuses such
 * dependents of what it will drop; this is the same question asked again before the command changes
 * anything, because the schema of another team may have changed since.
 */
public final class Obstacles {
    private Obstacles() {}

    /**
     * What blocks complete: dependents of the columns and tables the new version no longer has, and of
     * the views of the previous version's schema, and what was made by hand in that schema, each
     * described with what complete drops under it.
     */
    public static List<String> ofComplete(
            Connection connection,
            CatalogSchema physical,
            VirtualSchema newVersion,
            VirtualSchema previousVersion,
            Optional<String> previousVersionSchema,
            List<String> versionSchemas)
            throws SQLException {
        CatalogQueries catalog = new CatalogQueries(connection, physical.name());
        List<String> found = new ArrayList<>();
        for (CatalogTable table : physical.tables().values()) {
            Optional<VirtualTable> kept = newVersion.tables().stream()
                    .filter(t -> t.physicalName().equals(table.name()))
                    .findFirst();
            if (kept.isEmpty()) {
                describe(found, catalog.dependents(table.name(), null, versionSchemas, true), "table " + table.name());
                continue;
            }
            Set<String> keptColumns = kept.get().columns().stream()
                    .map(VirtualColumn::physicalName)
                    .collect(Collectors.toSet());
            for (String column : table.columns().keySet()) {
                if (!keptColumns.contains(column)) {
                    describe(
                            found,
                            catalog.dependents(table.name(), column, versionSchemas, true),
                            "column " + column + " of table " + table.name());
                }
            }
        }
        if (previousVersionSchema.isPresent()) {
            viewsOf(connection, previousVersionSchema.get(), previousVersion, versionSchemas, found);
        }
        return found;
    }

    /**
     * What blocks rollback: dependents of the columns start added (new columns and copies, all under a
     * temporary name until complete) and of the views of the new version's schema, and what was made by
     * hand in that schema.
     */
    public static List<String> ofRollback(
            Connection connection,
            CatalogSchema physical,
            VirtualSchema newVersion,
            String newVersionSchema,
            List<String> versionSchemas)
            throws SQLException {
        CatalogQueries catalog = new CatalogQueries(connection, physical.name());
        List<String> found = new ArrayList<>();
        for (CatalogTable table : physical.tables().values()) {
            if (table.name().startsWith(VirtualSchema.TEMPORARY_PREFIX)) {
                continue; // a table moved aside by drop_table, which rollback puts back
            }
            for (String column : table.columns().keySet()) {
                if (column.startsWith(VirtualSchema.TEMPORARY_PREFIX)) {
                    describe(
                            found,
                            catalog.dependents(table.name(), column, versionSchemas, true),
                            "column " + column + " of table " + table.name());
                }
            }
        }
        viewsOf(connection, newVersionSchema, newVersion, versionSchemas, found);
        return found;
    }

    private static void viewsOf(
            Connection connection,
            String versionSchema,
            VirtualSchema version,
            List<String> versionSchemas,
            List<String> found)
            throws SQLException {
        CatalogQueries views = new CatalogQueries(connection, versionSchema);
        Set<String> ours = version.tables().stream().map(VirtualTable::name).collect(Collectors.toSet());
        for (String stranger : views.objectsOtherThanViews(ours)) {
            found.add(stranger + " (made inside version schema " + versionSchema + ")");
        }
        for (String view : views.viewNames()) {
            describe(
                    found,
                    views.dependents(view, null, versionSchemas, true),
                    "view " + view + " of version schema " + versionSchema);
        }
    }

    private static void describe(List<String> found, List<CatalogQueries.Dependent> dependents, String underIt) {
        for (CatalogQueries.Dependent dependent : dependents) {
            found.add(dependent.kind() + " " + dependent.description() + " (on " + underIt + ")");
        }
    }
}
