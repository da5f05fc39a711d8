package io.pgroll.engine.internal.operations;

/**
 * A column as one version of the schema sees it: {@code name} in that version's view, stored in the
 * table's column {@code physicalName} (e.g. {@code _pgroll_new_x} while a migration is active).
 */
record VirtualColumn(String name, String physicalName, String type, boolean nullable) {
    VirtualColumn renamed(String newName) {
        return new VirtualColumn(newName, physicalName, type, nullable);
    }

    VirtualColumn storedIn(String newPhysicalName) {
        return new VirtualColumn(name, newPhysicalName, type, nullable);
    }
}
