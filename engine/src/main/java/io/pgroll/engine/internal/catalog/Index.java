package io.pgroll.engine.internal.catalog;

import java.util.List;
import java.util.Objects;

/**
 * An index of a table, including those behind primary keys, unique and exclusion constraints.
 *
 * @param columns the key columns in order (not INCLUDE columns); an expression key as its text
 * @param predicate the WHERE clause of a partial index, or null
 * @param method the access method: btree, hash, gist, gin, brin, spgist, ...
 * @param definition {@code pg_get_indexdef}: the whole CREATE INDEX statement
 * @param exclusionConstraint whether the index enforces an exclusion constraint
 */
public record Index(
        String name,
        boolean unique,
        List<String> columns,
        String predicate,
        String method,
        String definition,
        boolean exclusionConstraint) {
    public Index {
        Objects.requireNonNull(name, "name");
        columns = columns == null ? List.of() : List.copyOf(columns);
    }
}
