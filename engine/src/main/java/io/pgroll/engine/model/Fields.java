package io.pgroll.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of one JSON object of a migration, read with the checks pgroll's JSON Schema makes (known
 * fields, required fields, JSON types, enumerations), each failure naming the object and the field.
 *
 * <p>A JSON {@code null} counts as absent, except where the format gives it a meaning of its own
 * ({@link #nullableString}).
 */
final class Fields {
    /** The longest name PostgreSQL keeps whole (NAMEDATALEN - 1). */
    static final int MAX_IDENTIFIER_BYTES = 63;

    private final JsonNode node;
    private final Where where;

    private Fields(JsonNode node, Where where) {
        this.node = node;
        this.where = where;
    }

    /** The object {@code value}, or a failure saying what was found instead. */
    static Fields of(JsonNode value, Where where) {
        if (value == null || !value.isObject()) {
            throw where.fail("must be an object, got " + describe(value));
        }
        return new Fields(value, where);
    }

    Where where() {
        return where;
    }

    /** Fails on the first field not in {@code known} (additionalProperties: false). */
    void allowOnly(String... known) {
        List<String> knownList = List.of(known);
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!knownList.contains(field.getKey())) {
                throw where.fail("unknown field " + Names.quote(field.getKey()) + " (known fields: "
                        + String.join(", ", knownList) + ")");
            }
        }
    }

    /** Fails on the first of {@code required} that is absent or null. */
    void require(String... required) {
        for (String field : required) {
            if (!has(field)) {
                throw where.fail(
                        node.has(field)
                                ? "field " + Names.quote(field) + " must not be null"
                                : "missing required field " + Names.quote(field));
            }
        }
    }

    /** Present with a non-null value. */
    boolean has(String field) {
        return node.hasNonNull(field);
    }

    JsonNode raw(String field) {
        return node.get(field);
    }

    /** An optional string: null when absent or null. */
    String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw where.fail(mustBeString(field, "a string", v));
        }
        return v.textValue();
    }

    /**
     * A string that names a database object. Longer than 63 bytes is refused: PostgreSQL would silently
     * truncate it, and the migration would then act on, or create, an object of another name.
     */
    String identifier(String field) {
        String name = string(field);
        requireIdentifierLength(field, name);
        return name;
    }

    /** A list of strings that each name a database object; see {@link #identifier}. */
    List<String> identifiers(String field) {
        List<String> names = strings(field);
        for (String name : names) {
            requireIdentifierLength(field, name);
        }
        return names;
    }

    private void requireIdentifierLength(String field, String name) {
        if (name != null) {
            int bytes = name.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_IDENTIFIER_BYTES) {
                throw where.fail("field " + Names.quote(field) + " names " + Names.quote(name) + ", which is " + bytes
                        + " bytes long: PostgreSQL keeps at most " + MAX_IDENTIFIER_BYTES
                        + " bytes of a name and would silently cut it; shorten it");
            }
        }
    }

    /** Tri-state string: null when absent, empty for an explicit JSON null, else the value. */
    Optional<String> nullableString(String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            return null;
        }
        if (v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw where.fail(mustBeString(field, "a string or null", v));
        }
        return Optional.of(v.textValue());
    }

    /** A string that must be one of {@code allowed} (exact match), or null when absent. */
    String oneOf(String field, String... allowed) {
        String value = string(field);
        if (value != null && !List.of(allowed).contains(value)) {
            throw where.fail("field " + Names.quote(field) + " must be one of " + String.join(", ", allowed) + ", got "
                    + Names.quote(value));
        }
        return value;
    }

    /** A boolean defaulting to false. */
    boolean bool(String field) {
        Boolean value = optionalBool(field);
        return value != null && value;
    }

    /** A boolean, or null when absent. */
    Boolean optionalBool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw where.fail("field " + Names.quote(field) + " must be a boolean (true or false), got " + describe(v));
        }
        return v.booleanValue();
    }

    /** An array of strings; empty when absent. */
    List<String> strings(String field) {
        List<JsonNode> items = array(field);
        List<String> result = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isTextual()) {
                throw where.fail("field " + Names.quote(field) + ", item " + (i + 1) + " must be a string, got "
                        + describe(item));
            }
            result.add(item.textValue());
        }
        return result;
    }

    /** The items of an array; empty when absent. */
    List<JsonNode> array(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw where.fail("field " + Names.quote(field) + " must be an array, got " + describe(v));
        }
        List<JsonNode> items = new ArrayList<>(v.size());
        v.forEach(items::add);
        return items;
    }

    /** An object mapping names to strings, in the order written; empty when absent. */
    Map<String, String> stringMap(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw where.fail("field " + Names.quote(field) + " must be an object mapping column names to SQL, got "
                    + describe(v));
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : v.properties()) {
            if (!entry.getValue().isTextual()) {
                throw where.fail("field " + Names.quote(field) + ", entry " + Names.quote(entry.getKey())
                        + " must be a string, got " + describe(entry.getValue()));
            }
            result.put(entry.getKey(), entry.getValue().textValue());
        }
        return Collections.unmodifiableMap(result);
    }

    /** A nested object, read at {@code where().in(segment)}; null when absent. */
    Fields object(String field, String segment) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw where.fail("field " + Names.quote(field) + " must be an object, got " + describe(v));
        }
        return new Fields(v, where.in(segment));
    }

    private static String mustBeString(String field, String expected, JsonNode v) {
        String message = "field " + Names.quote(field) + " must be " + expected + ", got " + describe(v);
        if (v.isIntegralNumber()) {
            // YAML reads `default: 100` as a number; pgroll refuses it too, so say how to write it
            message += "; quote it: \"" + v.asText() + "\"";
        } else if (v.isNumber()) {
            message += "; quote the value to keep it as text";
        } else if (v.isBoolean()) {
            message += "; quote the value if it is text (YAML reads true, false, yes, no, on, off as booleans)";
        }
        return message;
    }

    /** A short description of a JSON value for messages: {@code string "x"}, {@code number 100}, {@code an array}. */
    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            String text = v.textValue();
            return "string " + Names.quote(text.length() > 60 ? text.substring(0, 57) + "..." : text);
        }
        if (v.isIntegralNumber()) {
            return "number " + v.asText();
        }
        if (v.isNumber()) {
            return "a decimal number"; // the parsed value may not show the digits as written (0.00)
        }
        if (v.isBoolean()) {
            return "boolean " + v.asText();
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isObject()) {
            return "an object";
        }
        return v.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
