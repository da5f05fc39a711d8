package io.pgroll.engine.internal.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A FOREIGN KEY constraint.
 *
 * @param referencedTable the referenced table's name, unqualified
 * @param onDelete NO ACTION, RESTRICT, CASCADE, SET NULL or SET DEFAULT
 * @param onUpdate as {@code onDelete}
 * @param matchType SIMPLE, FULL or PARTIAL
 * @param deferrable whether the constraint is DEFERRABLE
 * @param initiallyDeferred whether it is INITIALLY DEFERRED
 */
public record ForeignKey(
        String name,
        List<String> columns,
        String referencedTable,
        List<String> referencedColumns,
        String onDelete,
        String onUpdate,
        String matchType,
        boolean deferrable,
        boolean initiallyDeferred) {
    public ForeignKey {
        Objects.requireNonNull(name, "name");
        columns = columns == null ? List.of() : List.copyOf(columns);
        referencedColumns = referencedColumns == null ? List.of() : List.copyOf(referencedColumns);
    }

    /** A foreign key that is neither DEFERRABLE nor INITIALLY DEFERRED. */
    public ForeignKey(
            String name,
            List<String> columns,
            String referencedTable,
            List<String> referencedColumns,
            String onDelete,
            String onUpdate,
            String matchType) {
        this(name, columns, referencedTable, referencedColumns, onDelete, onUpdate, matchType, false, false);
    }
}
