package io.pgroll.engine.internal.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed in a schema's tables between two snapshots, in words: DDL made outside the tool while a
 * migration was active, which {@code complete} and {@code rollback} would otherwise act on blindly.
 * Only what a migration's work depends on counts: tables (a rename is told by the table's OID), their
 * columns' type, nullability, default and generation, their indexes and constraints, their primary key
 * and replica identity. Comments and enum labels do not.
 */
public final class SchemaDrift {
    private SchemaDrift() {}

    /** The changes from {@code then} to {@code now}, one sentence each; empty when there are none. */
    public static List<String> between(CatalogSchema then, CatalogSchema now) {
        List<String> changes = new ArrayList<>();
        Map<Long, CatalogTable> nowByOid = new HashMap<>();
        now.tables().values().forEach(t -> nowByOid.put(t.oid(), t));
        Set<String> renamedTo = new TreeSet<>();
        for (CatalogTable before : then.tables().values()) {
            CatalogTable after = now.tables().get(before.name());
            if (after == null) {
                CatalogTable renamed = nowByOid.get(before.oid());
                if (renamed != null && !then.tables().containsKey(renamed.name())) {
                    changes.add("table \"" + before.name() + "\" was renamed to \"" + renamed.name() + "\"");
                    renamedTo.add(renamed.name());
                    tableChanges(before, renamed, changes);
                } else {
                    changes.add("table \"" + before.name() + "\" was dropped");
                }
            } else if (after.oid() != before.oid()) {
                changes.add("table \"" + before.name() + "\" was dropped and created again");
            } else {
                tableChanges(before, after, changes);
            }
        }
        for (String name : now.tables().keySet()) {
            if (!then.tables().containsKey(name) && !renamedTo.contains(name)) {
                changes.add("table \"" + name + "\" was created");
            }
        }
        return List.copyOf(changes);
    }

    private static void tableChanges(CatalogTable before, CatalogTable after, List<String> changes) {
        String table = "\"" + after.name() + "\"";
        for (CatalogColumn column : before.columns().values()) {
            CatalogColumn now = after.columns().get(column.name());
            String name = "column " + table + ".\"" + column.name() + "\"";
            if (now == null) {
                changes.add(name + " was dropped");
            } else if (!column.type().equals(now.type())) {
                changes.add(name + " changed type from " + column.type() + " to " + now.type());
            } else if (column.nullable() != now.nullable()) {
                changes.add(name + (now.nullable() ? " became nullable" : " became NOT NULL"));
            } else if (!Objects.equals(column.defaultValue(), now.defaultValue())) {
                changes.add(name + " changed its default from " + orNone(column.defaultValue()) + " to "
                        + orNone(now.defaultValue()));
            } else if (!Objects.equals(column.generationExpression(), now.generationExpression())
                    || !Objects.equals(column.identity(), now.identity())) {
                changes.add(name + " changed how it is generated");
            }
        }
        for (String column : after.columns().keySet()) {
            if (!before.columns().containsKey(column)) {
                changes.add("column " + table + ".\"" + column + "\" was added");
            }
        }
        for (Index index : before.indexes().values()) {
            Index now = after.indexes().get(index.name());
            if (now == null) {
                changes.add("index \"" + index.name() + "\" on " + table + " was dropped");
            } else if (!Objects.equals(index.definition(), now.definition())) {
                changes.add("index \"" + index.name() + "\" on " + table + " was defined again");
            }
        }
        for (String index : after.indexes().keySet()) {
            if (!before.indexes().containsKey(index)) {
                changes.add("index \"" + index + "\" was created on " + table);
            }
        }
        for (String constraint : before.constraintNames()) {
            if (!after.hasConstraint(constraint)) {
                changes.add("constraint \"" + constraint + "\" on " + table + " was dropped");
            }
        }
        for (String constraint : after.constraintNames()) {
            if (!before.hasConstraint(constraint)) {
                changes.add("constraint \"" + constraint + "\" was added to " + table);
            }
        }
        if (!before.primaryKey().equals(after.primaryKey())) {
            changes.add("the primary key of " + table + " changed from " + before.primaryKey() + " to "
                    + after.primaryKey());
        }
        if (!Objects.equals(before.replicaIdentity(), after.replicaIdentity())
                || !Objects.equals(before.replicaIdentityIndex(), after.replicaIdentityIndex())) {
            changes.add("the replica identity of " + table + " changed");
        }
    }

    private static String orNone(String value) {
        return value == null ? "none" : value;
    }
}
