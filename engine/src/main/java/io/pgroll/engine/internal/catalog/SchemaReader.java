package io.pgroll.engine.internal.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgroll.engine.internal.sql.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Reads a schema's catalog through the state schema's {@code read_schema} function, and parses what
 * that function returns (also what the {@code resulting_schema} column of the migration history holds,
 * whichever tool wrote it: keys that pgroll does not write are optional here).
 */
public final class SchemaReader {
    private static final String FUNCTION_RESOURCE = "/io/pgroll/engine/internal/catalog/read_schema.sql";
    private static final String PLACEHOLDER = "{state_schema}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaReader() {}

    /** Parses what read_schema returned. */
    public static CatalogSchema parse(String json) {
        if (json == null) {
            throw new IllegalArgumentException("not a read_schema document: null");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a read_schema document: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a read_schema document: expected a JSON object but got " + json);
        }
        Map<String, CatalogTable> tables = new TreeMap<>(byName(root.path("tables"), SchemaReader::table));
        return new CatalogSchema(text(root, "name"), tables);
    }

    /** Calls <stateSchema>.read_schema(schema) on the connection and parses it. */
    public static CatalogSchema read(Connection connection, String stateSchema, String schema) throws SQLException {
        return parse(readJson(connection, stateSchema, schema));
    }

    /** What <stateSchema>.read_schema(schema) returns: the schema in pgroll's JSON. */
    public static String readJson(Connection connection, String stateSchema, String schema) throws SQLException {
        String sql = "SELECT " + Sql.ident(stateSchema) + ".read_schema(?)::text";
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The read_schema.sql text with {state_schema} replaced by the quoted identifier of stateSchema. */
    public static String functionSql(String stateSchema) {
        try (InputStream in = SchemaReader.class.getResourceAsStream(FUNCTION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(FUNCTION_RESOURCE + " is missing from the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.replace(PLACEHOLDER, Sql.ident(stateSchema));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FUNCTION_RESOURCE, e);
        }
    }

    private static CatalogTable table(String key, JsonNode t) {
        List<CatalogColumn> columns =
                new ArrayList<>(byName(t.path("columns"), SchemaReader::column).values());
        // jsonb does not keep key order: the attribute number does. A document written without
        // positions (by another tool) keeps the order it came in, the sort being stable.
        columns.sort(Comparator.comparingInt(CatalogColumn::position));
        Map<String, CatalogColumn> orderedColumns = new LinkedHashMap<>();
        for (CatalogColumn c : columns) {
            orderedColumns.put(c.name(), c);
        }
        return new CatalogTable(
                oid(t.path("oid")),
                name(key, t),
                text(t, "comment"),
                orderedColumns,
                strings(t.path("primaryKey")),
                new TreeMap<>(byName(t.path("indexes"), SchemaReader::index)),
                new TreeMap<>(byName(t.path("checkConstraints"), SchemaReader::checkConstraint)),
                new TreeMap<>(byName(t.path("uniqueConstraints"), SchemaReader::uniqueConstraint)),
                new TreeMap<>(byName(t.path("foreignKeys"), SchemaReader::foreignKey)),
                new TreeMap<>(byName(t.path("excludeConstraints"), SchemaReader::excludeConstraint)),
                text(t, "replicaIdentity"),
                text(t, "replicaIdentityIndex"),
                text(t, "primaryKeyName"));
    }

    private static CatalogColumn column(String key, JsonNode c) {
        JsonNode enumValues = c.path("enumValues");
        return new CatalogColumn(
                name(key, c),
                text(c, "type"),
                text(c, "default"),
                c.path("nullable").asBoolean(true),
                c.path("unique").asBoolean(false),
                text(c, "comment"),
                enumValues.isArray() ? strings(enumValues) : null,
                text(c, "postgresType"),
                c.path("position").asInt(0),
                text(c, "identity"),
                text(c, "generated"),
                text(c, "generationExpression"));
    }

    private static Index index(String key, JsonNode i) {
        return new Index(
                name(key, i),
                i.path("unique").asBoolean(false),
                strings(i.path("columns")),
                text(i, "predicate"),
                text(i, "method"),
                text(i, "definition"),
                i.path("exclusionConstraint").asBoolean(false));
    }

    private static CatalogCheckConstraint checkConstraint(String key, JsonNode c) {
        return new CatalogCheckConstraint(
                name(key, c),
                strings(c.path("columns")),
                text(c, "definition"),
                c.path("noInherit").asBoolean(false));
    }

    private static UniqueConstraint uniqueConstraint(String key, JsonNode c) {
        return new UniqueConstraint(name(key, c), strings(c.path("columns")));
    }

    private static ForeignKey foreignKey(String key, JsonNode f) {
        return new ForeignKey(
                name(key, f),
                strings(f.path("columns")),
                text(f, "referencedTable"),
                strings(f.path("referencedColumns")),
                text(f, "onDelete"),
                text(f, "onUpdate"),
                text(f, "matchType"),
                f.path("deferrable").asBoolean(false),
                f.path("initiallyDeferred").asBoolean(false));
    }

    private static ExcludeConstraint excludeConstraint(String key, JsonNode x) {
        return new ExcludeConstraint(name(key, x), text(x, "indexMethod"), text(x, "predicate"), text(x, "definition"));
    }

    /** The members of a JSON object, parsed; the parser gets the member's key, its name by default. */
    private static <T> Map<String, T> byName(JsonNode object, BiFunction<String, JsonNode, T> parser) {
        Map<String, T> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            result.put(member.getKey(), parser.apply(member.getKey(), member.getValue()));
        }
        return result;
    }

    private static String name(String key, JsonNode node) {
        String name = text(node, "name");
        return name == null ? key : name;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        if (array.isArray()) {
            for (JsonNode element : array) {
                result.add(element.asText());
            }
        }
        return result;
    }

    /** pgroll writes the OID as a string, older versions as a number. */
    private static long oid(JsonNode oid) {
        if (oid.isNumber()) {
            return oid.asLong();
        }
        if (oid.isTextual() && !oid.asText().isEmpty()) {
            try {
                return Long.parseLong(oid.asText());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a read_schema document: table OID " + oid + " is not a number");
            }
        }
        return 0;
    }
}
