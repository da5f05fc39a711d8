package io.pgroll.jdbc;

import java.util.Set;

/** Identifier quoting: always, in SQL the driver writes; as PostgreSQL's {@code quote_ident}, for the pin. */
final class Identifiers {
    private Identifiers() {}

    /**
     * PostgreSQL 17's keywords that are not unreserved (reserved, column name, and type or function name
     * keywords): {@code quote_ident} quotes them. Older majors have fewer (the {@code json_*} ones came in
     * 17); a server that quotes a name otherwise is caught by the validation query, which then sets the
     * pin as that server spells it. A test compares this set with the test server's {@code
     * pg_get_keywords()}.
     */
    static final Set<String> QUOTED_KEYWORDS = Set.of(
            "all",
            "analyse",
            "analyze",
            "and",
            "any",
            "array",
            "as",
            "asc",
            "asymmetric",
            "authorization",
            "between",
            "bigint",
            "binary",
            "bit",
            "boolean",
            "both",
            "case",
            "cast",
            "char",
            "character",
            "check",
            "coalesce",
            "collate",
            "collation",
            "column",
            "concurrently",
            "constraint",
            "create",
            "cross",
            "current_catalog",
            "current_date",
            "current_role",
            "current_schema",
            "current_time",
            "current_timestamp",
            "current_user",
            "dec",
            "decimal",
            "default",
            "deferrable",
            "desc",
            "distinct",
            "do",
            "else",
            "end",
            "except",
            "exists",
            "extract",
            "false",
            "fetch",
            "float",
            "for",
            "foreign",
            "freeze",
            "from",
            "full",
            "grant",
            "greatest",
            "group",
            "grouping",
            "having",
            "ilike",
            "in",
            "initially",
            "inner",
            "inout",
            "int",
            "integer",
            "intersect",
            "interval",
            "into",
            "is",
            "isnull",
            "join",
            "json",
            "json_array",
            "json_arrayagg",
            "json_exists",
            "json_object",
            "json_objectagg",
            "json_query",
            "json_scalar",
            "json_serialize",
            "json_table",
            "json_value",
            "lateral",
            "leading",
            "least",
            "left",
            "like",
            "limit",
            "localtime",
            "localtimestamp",
            "merge_action",
            "national",
            "natural",
            "nchar",
            "none",
            "normalize",
            "not",
            "notnull",
            "null",
            "nullif",
            "numeric",
            "offset",
            "on",
            "only",
            "or",
            "order",
            "out",
            "outer",
            "overlaps",
            "overlay",
            "placing",
            "position",
            "precision",
            "primary",
            "real",
            "references",
            "returning",
            "right",
            "row",
            "select",
            "session_user",
            "setof",
            "similar",
            "smallint",
            "some",
            "substring",
            "symmetric",
            "system_user",
            "table",
            "tablesample",
            "then",
            "time",
            "timestamp",
            "to",
            "trailing",
            "treat",
            "trim",
            "true",
            "union",
            "unique",
            "user",
            "using",
            "values",
            "varchar",
            "variadic",
            "verbose",
            "when",
            "where",
            "window",
            "with",
            "xmlattributes",
            "xmlconcat",
            "xmlelement",
            "xmlexists",
            "xmlforest",
            "xmlnamespaces",
            "xmlparse",
            "xmlpi",
            "xmlroot",
            "xmlserialize",
            "xmltable");

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
