package io.pgroll.engine.model;

/** How operations and errors name database objects: double-quoted, as PostgreSQL would print them. */
final class Names {
    private Names() {}

    /** {@code "name"}, with embedded quotes doubled; {@code ?} when the name is not known. */
    static String quote(String name) {
        return name == null ? "?" : '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * {@code kind "a"."b"}: the kind followed by the parts, dot-separated; parts not known (null) at the
     * end are left out, those before a known part show as {@code ?}.
     */
    static String describe(String kind, String... parts) {
        int known = parts.length;
        while (known > 0 && parts[known - 1] == null) {
            known--;
        }
        StringBuilder sb = new StringBuilder(kind);
        for (int i = 0; i < known; i++) {
            sb.append(i == 0 ? " " : ".").append(quote(parts[i]));
        }
        return sb.toString();
    }
}
