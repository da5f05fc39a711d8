package io.pgroll.engine.internal.sql;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place where identifiers and literals become SQL text. Every identifier is quoted, always:
 * a name that needs no quotes is still correct quoted, and one that does (mixed case, a keyword, a
 * space) can never change the statement's meaning.
 */
public final class Sql {
    private Sql() {}

    /** {@code "name"}, with embedded double quotes doubled. */
    public static String ident(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an SQL identifier cannot be empty");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an SQL identifier cannot contain a NUL character");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."name"}. */
    public static String qualified(String schema, String name) {
        return ident(schema) + "." + ident(name);
    }

    /** {@code "a", "b", "c"}. */
    public static String identList(List<String> names) {
        return names.stream().map(Sql::ident).collect(Collectors.joining(", "));
    }

    /**
     * A string literal, {@code 'it''s'}. Safe with standard_conforming_strings on, the default since
     * PostgreSQL 9.1; a backslash makes us use the E'' form so the text is the same whatever the setting.
     */
    public static String literal(String value) {
        if (value == null) {
            return "NULL";
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an SQL string cannot contain a NUL character");
        }
        String doubled = value.replace("'", "''");
        if (value.indexOf('\\') >= 0) {
            return "E'" + doubled.replace("\\", "\\\\") + "'";
        }
        return "'" + doubled + "'";
    }
}
