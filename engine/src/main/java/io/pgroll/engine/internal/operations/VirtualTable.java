package io.pgroll.engine.internal.operations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A table as the new version sees it while a migration is active: its name and columns over a physical table. */
final class VirtualTable {
    private String name;
    private String physicalName;
    private final Map<String, VirtualColumn> columns = new LinkedHashMap<>();
    private final Set<String> constraints = new LinkedHashSet<>();
    private final Map<String, List<String>> constraintColumns = new LinkedHashMap<>();
    private final List<String> primaryKey = new ArrayList<>();
    private final Set<String> indexNames = new LinkedHashSet<>();
    /** By copy: the copies that column rewrites of the migration made, and what made them. */
    private final Map<String, ColumnRewrite.Rewritten> rewrittenCopies = new LinkedHashMap<>();

    VirtualTable(String name, String physicalName) {
        this.name = name;
        this.physicalName = physicalName;
    }

    String name() {
        return name;
    }

    String physicalName() {
        return physicalName;
    }

    void rename(String newName) {
        this.name = newName;
    }

    void storedIn(String newPhysicalName) {
        this.physicalName = newPhysicalName;
    }

    List<VirtualColumn> columns() {
        return List.copyOf(columns.values());
    }

    Optional<VirtualColumn> column(String columnName) {
        return Optional.ofNullable(columns.get(columnName));
    }

    void putColumn(VirtualColumn column) {
        columns.put(column.name(), column);
    }

    void removeColumn(String columnName) {
        columns.remove(columnName);
    }

    /** The column stored in a physical column, if the new version sees it. */
    Optional<VirtualColumn> columnStoredIn(String physicalColumn) {
        return columns.values().stream()
                .filter(c -> c.physicalName().equals(physicalColumn))
                .findFirst();
    }

    /** What rewrote a column into {@code copy} earlier in the migration, if a rewrite made it. */
    Optional<ColumnRewrite.Rewritten> rewrittenInto(String copy) {
        return Optional.ofNullable(rewrittenCopies.get(copy));
    }

    void rewrittenInto(String copy, ColumnRewrite.Rewritten rewritten) {
        rewrittenCopies.put(copy, rewritten);
    }

    /**
     * The column the new version sees where {@code physicalColumn} was: stored in it, or in the copy
     * a rewrite earlier in the migration made of it.
     */
    Optional<VirtualColumn> columnReplacing(String physicalColumn) {
        return columnStoredIn(physicalColumn).or(() -> columns.values().stream()
                .filter(c -> rewrittenInto(c.physicalName())
                        .map(r -> r.origin().equals(physicalColumn))
                        .orElse(false))
                .findFirst());
    }

    /** Renames a column in place, keeping its position, and in the constraints that cover it. */
    void renameColumn(String from, String to) {
        Map<String, VirtualColumn> copy = new LinkedHashMap<>(columns);
        columns.clear();
        copy.forEach((key, column) -> {
            VirtualColumn c = key.equals(from) ? column.renamed(to) : column;
            columns.put(c.name(), c);
        });
        constraintColumns.replaceAll((constraint, covered) ->
                covered.stream().map(c -> c.equals(from) ? to : c).toList());
        primaryKey.replaceAll(c -> c.equals(from) ? to : c);
    }

    Set<String> constraints() {
        return constraints;
    }

    /** The columns of the table's constraints, by constraint name, as far as they are known. */
    Map<String, List<String>> constraintColumns() {
        return constraintColumns;
    }

    List<String> primaryKey() {
        return primaryKey;
    }

    /** The names of the table's indexes in the catalog, which are relation names of the schema. */
    Set<String> indexNames() {
        return indexNames;
    }
}
