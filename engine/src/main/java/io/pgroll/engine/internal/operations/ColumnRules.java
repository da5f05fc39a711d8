package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.catalog.CatalogQueries;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** What a column must be for the column-rewriting operations to copy it safely. */
final class ColumnRules {
    private ColumnRules() {}

    /**
     * Refuses a column that cannot be rewritten: added earlier in the same migration (it lives in a
     * new column already), one whose copy's name another column of the migration took, generated (a
     * trigger cannot write its value), in an exclusion constraint (which cannot be attached from a
     * prebuilt index), or with anything outside the table depending on it, which complete's drop of the
     * original would break. A column rewritten earlier in the migration passed these already: this
     * rewrite amends its copy ({@link CopyAmendment}).
     */
    static void requireRewritable(
            ValidationContext context, VirtualTable table, VirtualColumn column, String operation) {
        if (rewrittenEarlier(table, column)) {
            return;
        }
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

    /** Whether a column rewrite earlier in the migration made the copy the new version sees it in. */
    static boolean rewrittenEarlier(VirtualTable table, VirtualColumn column) {
        return table.rewrittenInto(column.physicalName()).isPresent();
    }

    /**
     * Refuses one operation over columns of which some were rewritten earlier in the migration and
     * some not: it would have to amend some copies and make others, with constraints over both.
     */
    static void requireAllOrNoneRewrittenEarlier(VirtualTable table, List<VirtualColumn> columns, String operation) {
        List<String> rewritten = columns.stream()
                .filter(c -> rewrittenEarlier(table, c))
                .map(VirtualColumn::name)
                .toList();
        if (!rewritten.isEmpty() && rewritten.size() != columns.size()) {
            throw new InvalidOperationException("columns " + String.join(", ", rewritten) + " of table \""
                    + table.name() + "\" were changed earlier in this migration and the others this " + operation
                    + " covers were not; make it in a migration of its own, or change all of its columns earlier");
        }
    }

    /** Refuses a new type for a column rewritten earlier in the migration: pgroll does not support it either. */
    static void requireTypeUnchangedAfterRewrite(VirtualTable table, VirtualColumn column, String operation) {
        if (rewrittenEarlier(table, column)) {
            throw new InvalidOperationException("column \"" + column.name() + "\" was changed earlier in this "
                    + "migration, and " + operation + " changes its type: change the type in the first operation"
                    + " that changes the column, or in a migration of its own");
        }
    }

    /** Refuses a column that lives in a new column already: added earlier in the migration. */
    private static void requireUnchangedEarlier(VirtualColumn column, String operation) {
        if (column.physicalName().startsWith(VirtualSchema.TEMPORARY_PREFIX)) {
            throw new InvalidOperationException("column \"" + column.name() + "\" was added earlier in "
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
        if (rewrittenEarlier(table, column)) {
            throw new InvalidOperationException("column \"" + column.name() + "\" was changed earlier in this "
                    + "migration; " + operation + " on it must go in a migration of its own");
        }
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
