package io.pgroll.hibernate;

import java.util.Locale;

/** How this module writes PostgreSQL names into SQL: the one place it quotes them. */
final class Identifiers {
    private Identifiers() {}

    /** Always quoted, so that no name is taken for a keyword ({@code user} is {@code current_user}). */
    static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** The name PostgreSQL stores: an unquoted name is folded to lower case. */
    static String folded(String name, boolean quoted) {
        return quoted ? name : name.toLowerCase(Locale.ROOT);
    }
}
