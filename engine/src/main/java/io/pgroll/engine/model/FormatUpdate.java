package io.pgroll.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings a migration file written for an older pgroll to the current format, as {@code pgroll update}
 * does: a top-level {@code name} (pgroll 0.13 names a migration after its file), {@code create_index}
 * columns as a list of names (before 0.10) or as a map (0.10), and a column renamed by {@code
 * alter_column}'s {@code name} (now {@code rename_column}). A file that reads as it is needs nothing; a
 * file wrong in some other way fails as the reader would fail it.
 */
public final class FormatUpdate {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * A file brought to the current format.
     *
     * @param migration the file's migration, as the current format reads it
     * @param changes what was rewritten, one sentence each, naming the operation
     */
    public record Result(Migration migration, List<String> changes) {
        public Result {
            changes = List.copyOf(changes);
        }
    }

    private FormatUpdate() {}

    /**
     * The file's migration in the current format and what had to change, or empty when the file is in
     * the current format already.
     *
     * @throws MigrationFormatException when the file is not a migration, or is wrong in a way no update
     *     mends (the message is the reader's)
     */
    public static Optional<Result> of(Path file) {
        String fileName = file.getFileName().toString();
        String extension = MigrationReader.extension(fileName);
        if (extension == null) {
            throw new MigrationFormatException(
                    fileName + ": not a migration file: the name must end in .yaml, .yml or .json");
        }
        String name = fileName.substring(0, fileName.length() - extension.length());
        JsonNode tree =
                MigrationReader.parse(MigrationReader.readContent(file, fileName), fileName, extension.equals(".json"));
        MigrationFormatException current;
        try {
            DocumentReader.read(tree, fileName, name);
            return Optional.empty();
        } catch (MigrationFormatException e) {
            current = e;
        }
        if (!(tree instanceof ObjectNode document)) {
            throw current;
        }
        ObjectNode updated = document.deepCopy();
        List<String> changes = new ArrayList<>();
        updateName(updated, name, changes);
        if (updated.get("operations") instanceof ArrayNode operations) {
            updated.set("operations", updateOperations(operations, changes));
        }
        if (changes.isEmpty()) {
            throw current;
        }
        return Optional.of(new Result(DocumentReader.read(updated, fileName, name), changes));
    }

    private static void updateName(ObjectNode document, String fileName, List<String> changes) {
        JsonNode name = document.remove("name");
        if (name == null) {
            return;
        }
        if (name.isTextual() && name.textValue().equals(fileName)) {
            changes.add("removed the top-level \"name\": the file name is the migration's name");
        } else {
            changes.add("removed the top-level \"name\" " + name + ": the migration is named after its file, "
                    + Names.quote(fileName));
        }
    }

    private static ArrayNode updateOperations(ArrayNode operations, List<String> changes) {
        ArrayNode updated = NODES.arrayNode();
        for (int i = 0; i < operations.size(); i++) {
            JsonNode item = operations.get(i);
            String position = "operation " + (i + 1);
            if (item.get(CreateIndex.KIND) instanceof ObjectNode index) {
                updateIndexColumns(index, position, changes);
                updated.add(item);
            } else if (item.get(AlterColumn.KIND) instanceof ObjectNode alter && alter.has("name")) {
                updated.addAll(splitRename(alter, position, changes));
            } else {
                updated.add(item);
            }
        }
        return updated;
    }

    /** {@code columns: [a, b]} and {@code columns: {a: {...}, b: {...}}} become {@code [{column: a}, ...]}. */
    private static void updateIndexColumns(ObjectNode index, String position, List<String> changes) {
        JsonNode columns = index.get("columns");
        ArrayNode fields = NODES.arrayNode();
        if (columns instanceof ArrayNode list && list.size() > 0 && allText(list)) {
            list.forEach(column -> fields.add(NODES.objectNode().set("column", column)));
        } else if (columns instanceof ObjectNode map) {
            for (Map.Entry<String, JsonNode> column : map.properties()) {
                ObjectNode field = NODES.objectNode().put("column", column.getKey());
                if (column.getValue() instanceof ObjectNode settings) {
                    field.setAll(settings);
                }
                fields.add(field);
            }
        } else {
            return;
        }
        index.set("columns", fields);
        changes.add(position + " (create_index " + index.path("name") + "): \"columns\" written as a list of"
                + " {column: ...} objects");
    }

    private static boolean allText(ArrayNode list) {
        for (JsonNode item : list) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    /**
     * An {@code alter_column} that renames with {@code name}: its other changes stay an {@code
     * alter_column} of the old name, followed by the {@code rename_column}, the order in which the old
     * format applied them.
     */
    private static List<JsonNode> splitRename(ObjectNode alter, String position, List<String> changes) {
        ObjectNode rest = alter.deepCopy();
        JsonNode newName = rest.remove("name");
        ObjectNode rename = NODES.objectNode();
        rename.set("table", alter.get("table"));
        rename.set("from", alter.get("column"));
        rename.set("to", newName);
        List<JsonNode> operations = new ArrayList<>();
        boolean moreChanges = rest.size() > 2 || !rest.has("table") || !rest.has("column");
        if (moreChanges) {
            operations.add(NODES.objectNode().set(AlterColumn.KIND, rest));
        }
        operations.add(NODES.objectNode().set(RenameColumn.KIND, rename));
        changes.add(position + " (alter_column " + alter.path("column") + "): the rename to " + newName
                + " written as a rename_column" + (moreChanges ? " after the alter_column's other changes" : ""));
        return operations;
    }
}
