package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.catalog.CatalogQueries;
import java.sql.SQLException;
import java.util.List;

/**
 * Refuses what complete could not finish because something else depends on it.
 *
 * <p>A column that {@code complete} will drop (or replace by a retyped copy) must have no dependent
 * that would make the drop fail, or silently take it away with CASCADE: a view outside the version
 * schemas, a materialized view, a policy, a publication, a function whose SQL body names it, a
 * trigger, a generated column, a foreign key of another table. {@code start} checks this beforehand,
 * because {@code complete} only moves forward. The table's own indexes and constraints on the column
 * are not obstacles: the column operations carry them over.
 */
final class Dependents {
    private Dependents() {}

    /** Refuses the operation when anything would block what complete drops; says what and how to proceed. */
    static void refuseIfBlocked(
            ValidationContext context, String table, String column, String what, boolean foreignKeysCarried)
            throws SQLException {
        if (!context.schemaIsExact()) {
            return;
        }
        List<CatalogQueries.Dependent> blocking =
                context.catalog().dependents(table, column, context.versionSchemas(), foreignKeysCarried);
        if (!blocking.isEmpty()) {
            throw new InvalidOperationException(what + " cannot be completed without breaking what depends on it: "
                    + String.join(
                            ", ",
                            blocking.stream()
                                    .map(d -> d.kind() + " " + d.description())
                                    .toList())
                    + ". Drop or change these first (in an earlier migration), so that complete cannot fail half-way");
        }
    }
}
