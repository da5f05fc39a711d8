package io.pgroll.engine.internal.catalog;

import java.util.List;
import java.util.Objects;

/** A UNIQUE constraint (not a bare unique index: those are in {@link Table#indexes()}). */
public record UniqueConstraint(String name, List<String> columns) {
    public UniqueConstraint {
        Objects.requireNonNull(name, "name");
        columns = columns == null ? List.of() : List.copyOf(columns);
    }
}
