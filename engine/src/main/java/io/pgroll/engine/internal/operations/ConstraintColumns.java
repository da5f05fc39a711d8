package io.pgroll.engine.internal.operations;

import java.sql.SQLException;
import java.util.List;

/** The columns a constraint of a table is over, read from the catalog, as the new version names them. */
final class ConstraintColumns {
    private ConstraintColumns() {}

    /** Checks that the constraint exists on the table and returns its columns; null when the schema is uncertain. */
    static List<String> require(ValidationContext context, VirtualTable table, String constraint) {
        if (!table.constraints().contains(constraint)) {
            if (!context.schemaIsExact()) {
                return null;
            }
            throw new InvalidOperationException("constraint \"" + constraint + "\" does not exist on table \""
                    + table.name() + "\" (its constraints: " + String.join(", ", table.constraints()) + ")");
        }
        try {
            // the catalog names the physical columns; a column renamed earlier in the migration has its new name
            return context.catalog().constraintColumns(table.physicalName(), constraint).stream()
                    .map(physical -> table.columnStoredIn(physical)
                            .map(VirtualColumn::name)
                            .orElse(physical))
                    .toList();
        } catch (SQLException e) {
            throw new InvalidOperationException("cannot read constraint \"" + constraint + "\": " + e.getMessage(), e);
        }
    }
}
