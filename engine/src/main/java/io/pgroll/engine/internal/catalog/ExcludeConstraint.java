package io.pgroll.engine.internal.catalog;

import java.util.Objects;

/**
 * An EXCLUDE constraint.
 *
 * @param indexMethod the access method of its index (gist, spgist, ...)
 * @param predicate the WHERE clause of a partial exclusion constraint, or null
 * @param definition {@code pg_get_constraintdef}, e.g. {@code EXCLUDE USING gist (during WITH &&)}
 */
public record ExcludeConstraint(String name, String indexMethod, String predicate, String definition) {
    public ExcludeConstraint {
        Objects.requireNonNull(name, "name");
    }
}
