package io.pgroll.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads a parsed migration document: the top-level fields, then each operation. */
final class DocumentReader {
    private DocumentReader() {}

    /**
     * @param fileName the migration name taken from the file name, or null to read a document that may
     *     carry its own {@code name} (pgroll's JSON Schema allows it; its file reader does not)
     */
    static Migration read(JsonNode root, String label, String fileName) {
        Where where = Where.file(label);
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw where.fail("the file is empty; a migration is an object with an \"operations\" list");
        }
        if (!root.isObject()) {
            throw where.fail("a migration is an object with an \"operations\" list, got " + Fields.describe(root));
        }
        Fields f = Fields.of(root, where);
        if (fileName != null && root.has("name")) {
            throw where.fail("a top-level \"name\" field is not allowed: the migration name comes from the file"
                    + " name (" + Names.quote(fileName) + "); remove the \"name\" field");
        }
        if (fileName != null) {
            f.allowOnly("version_schema", "operations");
        } else {
            f.allowOnly("name", "version_schema", "operations");
        }
        f.require("operations");
        String name = fileName != null ? fileName : f.string("name");
        String versionSchema = f.string("version_schema");
        if (versionSchema != null && versionSchema.isBlank()) {
            // the engine, the state functions and the driver would each read an empty name differently
            throw where.fail("\"version_schema\" is empty; leave it out to name the version schema after the"
                    + " migration, or give a name");
        }
        List<JsonNode> items = f.array("operations");
        if (fileName != null && items.isEmpty()) {
            throw where.fail("the migration is empty: \"operations\" lists no operation");
        }
        List<Operation> operations = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            operations.add(OperationReader.read(items.get(i), i + 1, where));
        }
        return new Migration(name, versionSchema, operations);
    }
}
