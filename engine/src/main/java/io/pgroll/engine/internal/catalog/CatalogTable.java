package io.pgroll.engine.internal.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A table as {@code read_schema} reports it. Maps keep their order: columns by position, the rest by
 * name.
 *
 * @param oid the table's OID when it was read (it changes when a table is recreated)
 * @param comment the table's comment, or null
 * @param primaryKey the primary key's columns in key order; empty when there is none
 * @param replicaIdentity {@code d} (default), {@code n} (nothing), {@code f} (full) or {@code i} (index)
 * @param replicaIdentityIndex the index used as replica identity, or null
 * @param primaryKeyName the name of the primary key constraint, or null when there is none
 */
public record CatalogTable(
        long oid,
        String name,
        String comment,
        Map<String, CatalogColumn> columns,
        List<String> primaryKey,
        Map<String, Index> indexes,
        Map<String, CatalogCheckConstraint> checkConstraints,
        Map<String, UniqueConstraint> uniqueConstraints,
        Map<String, ForeignKey> foreignKeys,
        Map<String, ExcludeConstraint> excludeConstraints,
        String replicaIdentity,
        String replicaIdentityIndex,
        String primaryKeyName) {
    public CatalogTable {
        Objects.requireNonNull(name, "name");
        columns = frozen(columns);
        primaryKey = primaryKey == null ? List.of() : List.copyOf(primaryKey);
        indexes = frozen(indexes);
        checkConstraints = frozen(checkConstraints);
        uniqueConstraints = frozen(uniqueConstraints);
        foreignKeys = frozen(foreignKeys);
        excludeConstraints = frozen(excludeConstraints);
    }

    /** A table whose primary key constraint name is not known. */
    public CatalogTable(
            long oid,
            String name,
            String comment,
            Map<String, CatalogColumn> columns,
            List<String> primaryKey,
            Map<String, Index> indexes,
            Map<String, CatalogCheckConstraint> checkConstraints,
            Map<String, UniqueConstraint> uniqueConstraints,
            Map<String, ForeignKey> foreignKeys,
            Map<String, ExcludeConstraint> excludeConstraints,
            String replicaIdentity,
            String replicaIdentityIndex) {
        this(
                oid,
                name,
                comment,
                columns,
                primaryKey,
                indexes,
                checkConstraints,
                uniqueConstraints,
                foreignKeys,
                excludeConstraints,
                replicaIdentity,
                replicaIdentityIndex,
                null);
    }

    public Optional<CatalogColumn> column(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    /** Whether a constraint of any kind (check, unique, foreign key, exclusion, primary key) has that name. */
    public boolean hasConstraint(String name) {
        return checkConstraints.containsKey(name)
                || uniqueConstraints.containsKey(name)
                || foreignKeys.containsKey(name)
                || excludeConstraints.containsKey(name)
                || name.equals(primaryKeyName);
    }

    /** The names of all constraints of this table, of any kind, sorted. */
    public Set<String> constraintNames() {
        Set<String> names = new TreeSet<>();
        names.addAll(checkConstraints.keySet());
        names.addAll(uniqueConstraints.keySet());
        names.addAll(foreignKeys.keySet());
        names.addAll(excludeConstraints.keySet());
        if (primaryKeyName != null) {
            names.add(primaryKeyName);
        }
        return Collections.unmodifiableSet(names);
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
