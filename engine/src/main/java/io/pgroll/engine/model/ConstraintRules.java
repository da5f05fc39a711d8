package io.pgroll.engine.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What each constraint type requires and forbids, as pgroll's JSON Schema says in its if/then rules for
 * the constraints of {@code create_table} and for {@code create_constraint}. Failures are reported at
 * the operation, naming the constraint: {@code constraint "pk" of type primary_key requires "columns"}.
 */
final class ConstraintRules {
    private ConstraintRules() {}

    /** The rules of a {@code create_table} constraint. */
    static void tableConstraint(Fields c, TableConstraint constraint, Where op) {
        Rules r = new Rules(c, constraint.name(), constraint.type(), op);
        switch (constraint.type()) {
            case UNIQUE -> {
                r.requires("columns");
                r.forbidsCheck();
                r.forbidsTrue("no_inherit");
            }
            case CHECK -> {
                r.requires("check");
                r.forbidsNonEmptyObject("index_parameters");
                r.forbidsTrue("deferrable");
                r.forbidsTrue("initially_deferred");
                r.forbidsTrue("nulls_not_distinct");
            }
            case PRIMARY_KEY -> {
                r.requires("columns");
                r.forbidsCheck();
                r.forbidsTrue("no_inherit");
                r.forbidsTrue("nulls_not_distinct");
            }
            case FOREIGN_KEY -> {
                r.requires("columns");
                r.requires("references");
                r.forbidsCheck();
                r.forbidsNonEmptyObject("index_parameters");
                r.forbidsTrue("no_inherit");
                r.forbidsTrue("nulls_not_distinct");
            }
            case EXCLUDE -> {
                r.requires("exclude");
                r.forbidsCheck();
                r.forbidsTrue("no_inherit");
                r.forbidsTrue("nulls_not_distinct");
                r.forbidsNonEmptyArray("columns", "the excluded columns are written in exclude.elements");
            }
        }
    }

    /**
     * The rules of {@code create_constraint}. The schema has none for unique; its {@code index_params}
     * clauses name a field that does not exist, so index parameters are not restricted by type either.
     */
    static void createConstraint(Fields c, CreateConstraint constraint, Where op) {
        Rules r = new Rules(c, constraint.name(), constraint.type(), op);
        switch (constraint.type()) {
            case CHECK -> {
                r.requires("check");
                r.forbids("references");
            }
            case PRIMARY_KEY -> {
                r.requires("columns");
                r.forbidsCheck();
                r.forbidsTrue("no_inherit");
                r.forbids("references");
            }
            case FOREIGN_KEY -> {
                r.requires("columns");
                r.requires("references");
                r.forbidsCheck();
                r.forbidsTrue("no_inherit");
            }
            case UNIQUE, EXCLUDE -> {}
        }
    }

    private record Rules(Fields c, String name, ConstraintType type, Where op) {
        private String subject() {
            return "constraint " + Names.quote(name) + " of type " + type.jsonName();
        }

        void requires(String field) {
            if (!c.has(field)) {
                throw op.fail(subject() + " requires " + Names.quote(field));
            }
        }

        void forbids(String field) {
            if (c.has(field)) {
                throw op.fail(subject() + " must not set " + Names.quote(field));
            }
        }

        void forbidsTrue(String field) {
            if (c.bool(field)) {
                throw op.fail(subject() + " must not set " + Names.quote(field) + " to true");
            }
        }

        /** The schema's {@code check: const ""}: only check constraints carry an expression. */
        void forbidsCheck() {
            String check = c.string("check");
            if (check != null && !check.isEmpty()) {
                throw op.fail(subject() + " must not set \"check\" (only check constraints have an expression)");
            }
        }

        void forbidsNonEmptyObject(String field) {
            JsonNode v = c.raw(field);
            if (v != null && !v.isNull() && !(v.isObject() && v.isEmpty())) {
                throw op.fail(subject() + " must not set " + Names.quote(field));
            }
        }

        void forbidsNonEmptyArray(String field, String why) {
            JsonNode v = c.raw(field);
            if (v != null && !v.isNull() && !(v.isArray() && v.isEmpty())) {
                throw op.fail(subject() + " must not set " + Names.quote(field) + " (" + why + ")");
            }
        }
    }
}
