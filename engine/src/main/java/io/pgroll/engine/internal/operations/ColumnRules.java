package io.pgroll.engine.internal.operations;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What a column must be for the column-rewriting operations to copy it safely. */
final class ColumnRules {
    private ColumnRules() {}

    /**
     * Refuses a column that cannot be rewritten: renamed earlier in the same migration (its copy is
     * named after its physical name), generated (a trigger cannot write its value), in an exclusion
     * constraint (which cannot be attached from a prebuilt index), or with
     * anything outside the table depending on it, which complete's drop of the original would break.
     */
    static void requireRewritable(
            ValidationContext context, VirtualTable table, VirtualColumn column, String operation) {
        if (!column.name().equals(column.physicalName())) {
            throw new InvalidOperationException("column \"" + column.name() + "\" was renamed or changed earlier in "
                    + "this migration; " + operation + " on it must go in a migration of its own");
        }
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

    private static void inspect(ValidationContext context, VirtualTable table, VirtualColumn column, String operation)
            throws SQLException {
        try (PreparedStatement ps = context.connection()
                .prepareStatement(
                        """
                        SELECT a.attgenerated <> '' OR EXISTS (
                                   SELECT 1 FROM pg_partitioned_table p
                                   WHERE p.partrelid = a.attrelid AND a.attnum = ANY (p.partattrs)),
                               EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conrelid = a.attrelid
                                       AND con.contype = 'x' AND a.attnum = ANY (con.conkey))
                        FROM pg_attribute a
                        WHERE a.attrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND a.attname = ?
                        """)) {
            ps.setString(1, context.schema().name());
            ps.setString(2, table.physicalName());
            ps.setString(3, column.physicalName());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (rs.getBoolean(1)) {
                        throw new InvalidOperationException("column \"" + column.name() + "\" is generated or a "
                                + "partition key; " + operation + " cannot replace it with a copy");
                    }
                    if (rs.getBoolean(2)) {
                        throw new InvalidOperationException(
                                "column \"" + column.name() + "\" is part of an exclusion "
                                        + "constraint, which cannot be rebuilt without locking writes; drop the constraint first");
                    }
                }
            }
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
        try (PreparedStatement ps = context.connection()
                .prepareStatement("SELECT a.atthasdef FROM pg_attribute a WHERE a.attrelid = "
                        + "to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND a.attname = ?")) {
            ps.setString(1, context.schema().name());
            ps.setString(2, table.physicalName());
            ps.setString(3, column.physicalName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
