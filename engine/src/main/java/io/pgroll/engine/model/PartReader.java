package io.pgroll.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the parts operations share: columns, foreign keys, check and table constraints, index elements. */
final class PartReader {
    static final String[] FK_ACTIONS = {"NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"};
    static final String[] MATCH_TYPES = {"SIMPLE", "FULL", "PARTIAL"};

    private PartReader() {}

    /** The {@code columns} array of {@code create_table}, each column named in messages. */
    static List<Column> columns(Fields op, String field) {
        List<JsonNode> items = op.array(field);
        List<Column> columns = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            columns.add(column(item, op.where().in(label("column", item, "name", i))));
        }
        return columns;
    }

    static Column column(JsonNode node, Where where) {
        Fields f = Fields.of(node, where);
        f.allowOnly(
                "name", "type", "pk", "nullable", "unique", "default", "comment", "check", "references", "generated");
        f.require("name", "type");
        return new Column(
                f.identifier("name"),
                f.string("type"),
                f.bool("pk"),
                f.bool("nullable"),
                f.bool("unique"),
                f.string("default"),
                f.string("comment"),
                check(f.object("check", "check")),
                foreignKey(f.object("references", "references")),
                generated(f.object("generated", "generated")));
    }

    static CheckConstraint check(Fields f) {
        if (f == null) {
            return null;
        }
        f.allowOnly("name", "constraint", "no_inherit");
        f.require("name", "constraint");
        return new CheckConstraint(f.identifier("name"), f.string("constraint"), f.bool("no_inherit"));
    }

    static UniqueConstraintRef unique(Fields f) {
        if (f == null) {
            return null;
        }
        f.allowOnly("name");
        f.require("name");
        return new UniqueConstraintRef(f.identifier("name"));
    }

    static ForeignKeyReference foreignKey(Fields f) {
        if (f == null) {
            return null;
        }
        f.allowOnly(
                "name", "table", "column", "match_type", "on_delete", "on_update", "deferrable", "initially_deferred");
        f.require("name", "table", "column");
        return new ForeignKeyReference(
                f.identifier("name"),
                f.identifier("table"),
                f.identifier("column"),
                f.oneOf("match_type", MATCH_TYPES),
                f.oneOf("on_delete", FK_ACTIONS),
                f.oneOf("on_update", FK_ACTIONS),
                f.bool("deferrable"),
                f.bool("initially_deferred"));
    }

    static TableForeignKeyReference tableForeignKey(Fields f) {
        if (f == null) {
            return null;
        }
        f.allowOnly("table", "columns", "match_type", "on_delete", "on_update", "on_delete_set_columns");
        f.require("table", "columns");
        return new TableForeignKeyReference(
                f.identifier("table"),
                f.identifiers("columns"),
                f.oneOf("match_type", MATCH_TYPES),
                f.oneOf("on_delete", FK_ACTIONS),
                f.oneOf("on_update", FK_ACTIONS),
                f.identifiers("on_delete_set_columns"));
    }

    private static Generated generated(Fields f) {
        if (f == null) {
            return null;
        }
        f.allowOnly("expression", "identity");
        Identity identity = null;
        Fields id = f.object("identity", "identity");
        if (id != null) {
            id.allowOnly("user_specified_values", "sequence_options");
            identity = new Identity(
                    id.oneOf("user_specified_values", "ALWAYS", "BY DEFAULT"), id.string("sequence_options"));
        }
        return new Generated(f.string("expression"), identity);
    }

    /** The {@code constraints} array of {@code create_table}, with the rules of each constraint type. */
    static List<TableConstraint> tableConstraints(Fields op) {
        List<JsonNode> items = op.array("constraints");
        List<TableConstraint> constraints = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            constraints.add(tableConstraint(item, op.where(), label("constraint", item, "name", i)));
        }
        return constraints;
    }

    private static TableConstraint tableConstraint(JsonNode node, Where op, String segment) {
        Fields f = Fields.of(node, op.in(segment));
        f.allowOnly(
                "name",
                "type",
                "columns",
                "deferrable",
                "initially_deferred",
                "nulls_not_distinct",
                "no_inherit",
                "check",
                "references",
                "exclude",
                "index_parameters");
        f.require("name", "type");
        ConstraintType type = constraintType(f, ConstraintType.values());
        TableConstraint constraint = new TableConstraint(
                f.identifier("name"),
                type,
                f.identifiers("columns"),
                f.bool("deferrable"),
                f.bool("initially_deferred"),
                f.bool("nulls_not_distinct"),
                f.bool("no_inherit"),
                f.string("check"),
                tableForeignKey(f.object("references", "references")),
                exclude(f.object("exclude", "exclude")),
                indexParameters(f.object("index_parameters", "index_parameters")));
        ConstraintRules.tableConstraint(f, constraint, op);
        return constraint;
    }

    /** The {@code type} field, one of {@code allowed}. */
    static ConstraintType constraintType(Fields f, ConstraintType... allowed) {
        String[] names = new String[allowed.length];
        for (int i = 0; i < allowed.length; i++) {
            names[i] = allowed[i].jsonName();
        }
        return ConstraintType.fromJsonName(f.oneOf("type", names));
    }

    private static ExcludeDefinition exclude(Fields f) {
        if (f == null) {
            return null;
        }
        f.allowOnly("index_method", "elements", "predicate");
        return new ExcludeDefinition(f.string("index_method"), f.string("elements"), f.string("predicate"));
    }

    static IndexParameters indexParameters(Fields f) {
        if (f == null) {
            return null;
        }
        f.allowOnly("tablespace", "storage_parameters", "include_columns");
        return new IndexParameters(
                f.identifier("tablespace"), f.string("storage_parameters"), f.identifiers("include_columns"));
    }

    /** The {@code columns} array of {@code create_index}: objects naming a column and its settings. */
    static List<IndexField> indexFields(Fields op) {
        JsonNode raw = op.raw("columns");
        if (raw != null && raw.isObject()) {
            // pgroll 0.10 wrote index columns as a map; its schema (and 0.11+) takes an ordered array
            throw op.where()
                    .fail(
                            "field \"columns\" must be an array of objects such as {\"column\": \"name\"}, got an object");
        }
        List<JsonNode> items = op.array("columns");
        List<IndexField> fields = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            Where where = op.where().in(label("index column", item, "column", i));
            if (item.isTextual()) {
                throw where.fail("must be an object such as {\"column\": " + Names.quote(item.textValue()) + "}, got "
                        + Fields.describe(item));
            }
            fields.add(indexField(Fields.of(item, where)));
        }
        return fields;
    }

    private static IndexField indexField(Fields f) {
        f.allowOnly("column", "collate", "sort", "opclass", "nulls");
        f.require("column");
        OpClass opclass = null;
        Fields oc = f.object("opclass", "opclass");
        if (oc != null) {
            oc.allowOnly("name", "params");
            opclass = new OpClass(oc.string("name"), oc.strings("params"));
        }
        return new IndexField(
                f.identifier("column"),
                f.string("collate"),
                f.oneOf("sort", "ASC", "DESC"),
                opclass,
                f.oneOf("nulls", "FIRST", "LAST"));
    }

    /** {@code column "id"} when the item has a string {@code nameField}, else {@code column 3} (1-based). */
    static String label(String what, JsonNode item, String nameField, int index) {
        JsonNode name = item.get(nameField);
        return name != null && name.isTextual() ? what + " " + Names.quote(name.textValue()) : what + " " + (index + 1);
    }
}
