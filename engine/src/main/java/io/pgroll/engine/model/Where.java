package io.pgroll.engine.model;

/**
 * Where a value sits in a migration file, as the prefix of error messages: {@code 02_x.yaml: operation 2
 * (alter_column "reviews"."rating"), check}.
 */
record Where(String prefix) {

    static Where file(String label) {
        return new Where(label);
    }

    /** An operation, numbered from 1, described by its kind and object as far as they are known. */
    Where operation(int number, String description) {
        return new Where(prefix + ": operation " + number + (description == null ? "" : " (" + description + ")"));
    }

    /** A part of the current object: {@code column "id"}, {@code references}, … */
    Where in(String segment) {
        return new Where(prefix + ", " + segment);
    }

    MigrationFormatException fail(String detail) {
        return new MigrationFormatException(prefix + ": " + detail);
    }
}
