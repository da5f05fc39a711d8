package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.catalog.CatalogQueries;
import java.sql.SQLException;
import java.util.Optional;

/** What a column must be for the column-rewriting operations to copy it safely. */
final class ColumnRules {
    private ColumnRules() {}

    /**
     * Refuses a column that cannot be rewritten: added or rewritten earlier in the same migration (it
     * already lives in a copy), one whose copy's name another column of the migration took, generated (a trigger cannot write its value), in an exclusion
     * constraint (which cannot be attached from a prebuilt index), or with
     * anything outside the table depending on it, which complete's drop of the original would break.
     */
    static void requireRewritable(
            ValidationContext context, VirtualTable table, VirtualColumn column, String operation) {
        requireUnchangedEarlier(column, operation);
        requireCopyNameFree(table, column.physicalName(), column.name());
        try {
            if (!context.schemaIsExact() || !context.catalog().relationExists(table.physicalName())) {
                return;
            }
            inspect(context, table, column, operation);
        } catch (SQLException e) {
            throw new InvalidOperationException(
                    "cannot inspect column \"" + column.name() + "\": " + e.getMessage(), e);
        }
    }

    /** Refuses a column that lives in a copy already: added or rewritten earlier in the migration. */
    private static void requireUnchangedEarlier(VirtualColumn column, String operation) {
        if (column.physicalName().startsWith(VirtualSchema.TEMPORARY_PREFIX)) {
            throw new InvalidOperationException("column \"" + column.name() + "\" was added or changed earlier in "
                    + "this migration; " + operation + " on it must go in a migration of its own");
        }
    }

    /**
     * Refuses a second column of the table whose copy would be {@code _pgroll_new_<column>}: after a
     * rename, a new column may take the old name of a column that a later operation rewrites.
     */
    static void requireCopyNameFree(VirtualTable table, String copyFor, String column) {
        String copy = TemporaryNames.newColumn(copyFor);
        table.columnStoredIn(copy).ifPresent(other -> {
            throw new InvalidOperationException("the temporary copy for column \"" + column + "\" would be named \""
                    + copy + "\", which column \"" + other.name() + "\" of table \"" + table.name() + "\" already uses "
                    + "in this migration; make one of the two changes in a migration of its own");
        });
    }

    private static void inspect(ValidationContext context, VirtualTable table, VirtualColumn column, String operation)
            throws SQLException {
        Optional<CatalogQueries.ColumnTraits> traits =
                context.catalog().columnTraits(table.physicalName(), column.physicalName());
        if (traits.isPresent() && traits.get().generatedOrPartitionKey()) {
            throw new InvalidOperationException("column \"" + column.name() + "\" is generated or a "
                    + "partition key; " + operation + " cannot replace it with a copy");
        }
        if (traits.isPresent() && traits.get().inExclusionConstraint()) {
            throw new InvalidOperationException("column \"" + column.name() + "\" is part of an exclusion "
                    + "constraint, which cannot be rebuilt without locking writes; drop the constraint first");
        }
        Dependents.refuseIfBlocked(
                context,
                table.physicalName(),
                column.physicalName(),
                operation + " of column \"" + column.name() + "\"",
                true);
    }

    /**
     * Refuses to drop a column that something outside the table depends on, or that the old version
     * must keep filled (NOT NULL without a default) when no {@code down} says how.
     */
    static void requireDroppable(
            ValidationContext context, VirtualTable table, VirtualColumn column, boolean hasDown, String operation) {
        requireUnchangedEarlier(column, operation);
        try {
            if (!context.schemaIsExact() || !context.catalog().relationExists(table.physicalName())) {
                return;
            }
            if (!hasDown && !column.nullable() && !hasDefault(context, table, column)) {
                throw new InvalidOperationException("column \"" + column.name() + "\" is NOT NULL without a default: "
                        + "the new version's inserts would fail while the old version keeps it; give " + operation
                        + " a `down` expression that computes it");
            }
            Dependents.refuseIfBlocked(
                    context,
                    table.physicalName(),
                    column.physicalName(),
                    operation + " of column \"" + column.name() + "\"",
                    false);
        } catch (SQLException e) {
            throw new InvalidOperationException(
                    "cannot inspect column \"" + column.name() + "\": " + e.getMessage(), e);
        }
    }

    private static boolean hasDefault(ValidationContext context, VirtualTable table, VirtualColumn column)
            throws SQLException {
        return context.catalog()
                .columnTraits(table.physicalName(), column.physicalName())
                .map(CatalogQueries.ColumnTraits::hasDefault)
                .orElse(false);
    }
}
