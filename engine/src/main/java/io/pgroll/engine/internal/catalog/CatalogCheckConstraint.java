package io.pgroll.engine.internal.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A CHECK constraint.
 *
 * @param columns the columns the expression refers to, in the catalog's order
 * @param definition {@code pg_get_constraintdef}, e.g. {@code CHECK ((price > 0)) NO INHERIT}
 * @param noInherit whether the constraint is NO INHERIT
 */
public record CatalogCheckConstraint(String name, List<String> columns, String definition, boolean noInherit) {
    public CatalogCheckConstraint {
        Objects.requireNonNull(name, "name");
        columns = columns == null ? List.of() : List.copyOf(columns);
    }
}
