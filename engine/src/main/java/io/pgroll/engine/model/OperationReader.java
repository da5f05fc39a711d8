package io.pgroll.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads one item of {@code operations}: a single-key object naming the kind, checked field by field. */
final class OperationReader {
    /** The kinds, in the order the documentation lists them. */
    static final List<String> KINDS = List.of(
            CreateTable.KIND,
            AddColumn.KIND,
            AlterColumn.KIND,
            DropColumn.KIND,
            RenameTable.KIND,
            RenameColumn.KIND,
            DropTable.KIND,
            CreateIndex.KIND,
            DropIndex.KIND,
            CreateConstraint.KIND,
            DropConstraint.KIND,
            DropMultiColumnConstraint.KIND,
            RenameConstraint.KIND,
            SetReplicaIdentity.KIND,
            RawSql.KIND);

    private static final List<String> REPLICA_IDENTITY_TYPES = List.of("full", "default", "nothing", "index");

    private OperationReader() {}

    /** Operation {@code number} (1-based) of the file at {@code file}. */
    static Operation read(JsonNode item, int number, Where file) {
        Where bare = file.operation(number, null);
        if (item == null || !item.isObject() || item.size() != 1) {
            String found = item != null && item.isObject()
                    ? (item.isEmpty() ? "an empty object" : "an object with keys " + String.join(", ", keys(item)))
                    : Fields.describe(item);
            throw bare.fail("must be an object with exactly one key naming the operation (" + String.join(", ", KINDS)
                    + "), got " + found);
        }
        Map.Entry<String, JsonNode> entry = item.properties().iterator().next();
        String kind = entry.getKey();
        if (!KINDS.contains(kind)) {
            throw bare.fail(
                    "unknown operation " + Names.quote(kind) + " (known operations: " + String.join(", ", KINDS) + ")");
        }
        JsonNode body = entry.getValue();
        Fields f = Fields.of(body, file.operation(number, describe(kind, body)));
        return switch (kind) {
            case CreateTable.KIND -> createTable(f);
            case AddColumn.KIND -> addColumn(f);
            case AlterColumn.KIND -> alterColumn(f);
            case DropColumn.KIND -> dropColumn(f);
            case RenameTable.KIND -> renameTable(f);
            case RenameColumn.KIND -> renameColumn(f);
            case DropTable.KIND -> dropTable(f);
            case CreateIndex.KIND -> createIndex(f);
            case DropIndex.KIND -> dropIndex(f);
            case CreateConstraint.KIND -> createConstraint(f);
            case DropConstraint.KIND -> dropConstraint(f);
            case DropMultiColumnConstraint.KIND -> dropMultiColumnConstraint(f);
            case RenameConstraint.KIND -> renameConstraint(f);
            case SetReplicaIdentity.KIND -> setReplicaIdentity(f);
            case RawSql.KIND -> rawSql(f);
            default -> throw new IllegalStateException(kind);
        };
    }

    private static CreateTable createTable(Fields f) {
        // pgroll's reader allows a table with no columns (CREATE TABLE t ()), whatever its schema says
        f.allowOnly("name", "columns", "comment", "constraints");
        f.require("name");
        return new CreateTable(
                f.identifier("name"),
                PartReader.columns(f, "columns"),
                f.string("comment"),
                PartReader.tableConstraints(f));
    }

    private static AddColumn addColumn(Fields f) {
        f.allowOnly("table", "column", "up");
        f.require("table", "column");
        return new AddColumn(
                f.identifier("table"),
                PartReader.column(f.raw("column"), f.where().in("column")),
                f.string("up"));
    }

    private static AlterColumn alterColumn(Fields f) {
        f.allowOnly(
                "table",
                "column",
                "type",
                "nullable",
                "default",
                "comment",
                "unique",
                "check",
                "references",
                "up",
                "down");
        f.require("table", "column");
        AlterColumn op = new AlterColumn(
                f.identifier("table"),
                f.identifier("column"),
                f.string("type"),
                f.optionalBool("nullable"),
                f.nullableString("default"),
                f.nullableString("comment"),
                PartReader.unique(f.object("unique", "unique")),
                PartReader.check(f.object("check", "check")),
                PartReader.foreignKey(f.object("references", "references")),
                f.string("up"),
                f.string("down"));
        if (!op.hasChanges()) {
            throw f.where()
                    .fail("nothing to change: set at least one of type, nullable, default, comment, unique, check,"
                            + " references");
        }
        // up and down default to the column itself, as in pgroll's runtime: files written by pgroll's
        // pull and convert leave them out where nothing needs translating
        return op;
    }

    private static DropColumn dropColumn(Fields f) {
        f.allowOnly("table", "column", "down");
        f.require("table", "column");
        return new DropColumn(f.identifier("table"), f.identifier("column"), f.string("down"));
    }

    private static RenameTable renameTable(Fields f) {
        f.allowOnly("from", "to");
        f.require("from", "to");
        return new RenameTable(f.identifier("from"), f.identifier("to"));
    }

    private static RenameColumn renameColumn(Fields f) {
        f.allowOnly("table", "from", "to");
        f.require("table", "from", "to");
        return new RenameColumn(f.identifier("table"), f.identifier("from"), f.identifier("to"));
    }

    private static DropTable dropTable(Fields f) {
        f.allowOnly("name");
        f.require("name");
        return new DropTable(f.identifier("name"));
    }

    private static CreateIndex createIndex(Fields f) {
        f.allowOnly("name", "table", "columns", "predicate", "method", "storage_parameters", "unique");
        f.require("name", "table", "columns");
        return new CreateIndex(
                f.identifier("name"),
                f.identifier("table"),
                PartReader.indexFields(f),
                f.string("predicate"),
                f.oneOf("method", "btree", "hash", "gist", "spgist", "gin", "brin"),
                f.string("storage_parameters"),
                f.bool("unique"));
    }

    private static DropIndex dropIndex(Fields f) {
        f.allowOnly("name");
        f.require("name");
        return new DropIndex(f.identifier("name"));
    }

    private static CreateConstraint createConstraint(Fields f) {
        f.allowOnly(
                "table",
                "name",
                "type",
                "columns",
                "check",
                "no_inherit",
                "index_parameters",
                "references",
                "up",
                "down");
        f.require("table", "name", "type");
        CreateConstraint op = new CreateConstraint(
                f.identifier("table"),
                f.identifier("name"),
                PartReader.constraintType(
                        f,
                        ConstraintType.UNIQUE,
                        ConstraintType.CHECK,
                        ConstraintType.FOREIGN_KEY,
                        ConstraintType.PRIMARY_KEY),
                f.identifiers("columns"),
                f.string("check"),
                f.bool("no_inherit"),
                PartReader.indexParameters(f.object("index_parameters", "index_parameters")),
                PartReader.tableForeignKey(f.object("references", "references")),
                f.stringMap("up"),
                f.stringMap("down"));
        ConstraintRules.createConstraint(f, op, f.where());
        f.require("up", "down");
        for (String column : op.columns()) {
            if (!op.up().containsKey(column)) {
                // the copy of each column is filled by its up: without one the old version's rows stay empty
                throw f.where()
                        .fail("field \"up\" gives no expression for column " + Names.quote(column)
                                + ", which the constraint covers; give one for each of its columns");
            }
        }
        return op;
    }

    private static DropConstraint dropConstraint(Fields f) {
        f.allowOnly("table", "name", "up", "down");
        f.require("table", "name", "down"); // up defaults to the column itself
        return new DropConstraint(f.identifier("table"), f.identifier("name"), f.string("up"), f.string("down"));
    }

    private static DropMultiColumnConstraint dropMultiColumnConstraint(Fields f) {
        f.allowOnly("table", "name", "up", "down");
        f.require("table", "name", "down");
        return new DropMultiColumnConstraint(
                f.identifier("table"), f.identifier("name"), f.stringMap("up"), f.stringMap("down"));
    }

    private static RenameConstraint renameConstraint(Fields f) {
        f.allowOnly("table", "from", "to");
        f.require("table", "from", "to");
        return new RenameConstraint(f.identifier("table"), f.identifier("from"), f.identifier("to"));
    }

    private static SetReplicaIdentity setReplicaIdentity(Fields f) {
        f.allowOnly("table", "identity");
        f.require("table", "identity");
        Fields id = f.object("identity", "identity");
        id.allowOnly("type", "index");
        id.require("type");
        String type = id.string("type");
        if (!REPLICA_IDENTITY_TYPES.contains(type.toLowerCase(Locale.ROOT))) {
            throw id.where()
                    .fail("field \"type\" must be one of full, default, nothing, index, got " + Names.quote(type));
        }
        if (type.equalsIgnoreCase("index")) {
            id.require("index"); // only an index identity names one
        }
        return new SetReplicaIdentity(f.identifier("table"), new ReplicaIdentity(type, id.identifier("index")));
    }

    private static RawSql rawSql(Fields f) {
        f.allowOnly("up", "down", "onComplete");
        f.require("up");
        if (f.has("down") && f.has("onComplete")) {
            // the schema's oneOf: SQL run at complete has no rollback step that could run `down`
            throw f.where()
                    .fail("fields \"down\" and \"onComplete\" cannot be used together (SQL run on complete is never"
                            + " rolled back)");
        }
        return new RawSql(f.string("up"), f.string("down"), f.bool("onComplete"));
    }

    /** The operation's description from its raw body, naming what the body names (before it is checked). */
    static String describe(String kind, JsonNode body) {
        return switch (kind) {
            case CreateTable.KIND, DropTable.KIND, CreateIndex.KIND, DropIndex.KIND -> Names.describe(
                    kind, text(body, "name"));
            case RenameTable.KIND -> Names.describe(kind, text(body, "from"));
            case AddColumn.KIND -> Names.describe(kind, text(body, "table"), text(body.get("column"), "name"));
            case DropColumn.KIND, AlterColumn.KIND -> Names.describe(kind, text(body, "table"), text(body, "column"));
            case RenameColumn.KIND, RenameConstraint.KIND -> Names.describe(
                    kind, text(body, "table"), text(body, "from"));
            case CreateConstraint.KIND, DropConstraint.KIND, DropMultiColumnConstraint.KIND -> Names.describe(
                    kind, text(body, "table"), text(body, "name"));
            case SetReplicaIdentity.KIND -> Names.describe(kind, text(body, "table"));
            default -> kind;
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    private static List<String> keys(JsonNode object) {
        return object.properties().stream().map(Map.Entry::getKey).toList();
    }
}
