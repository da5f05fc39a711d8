package io.pgroll.engine.convert;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a piece of SQL may reach beyond the unqualified names it uses: the names it writes before a dot
 * (schemas, or tables qualifying a column), whether it changes the search path, and whether it builds
 * statements as it runs ({@code EXECUTE} of a string). String constants are read as SQL too: function
 * bodies, {@code DO} blocks, {@code 'schema.table'::regclass}. Plan rehearses a {@code sql} operation on
 * a copy of the schema only when it reaches nothing else.
 *
 * @param qualifiers the names written before a dot, as PostgreSQL folds them
 */
public record SqlReach(Set<String> qualifiers, boolean changesSearchPath, boolean buildsStatements) {
    public SqlReach {
        qualifiers = Set.copyOf(qualifiers);
    }

    /** Reads {@code sql}; text that does not lex (an unclosed quote) reaches nothing, as it cannot run. */
    public static SqlReach of(String sql) {
        Set<String> qualifiers = new TreeSet<>();
        boolean[] flags = new boolean[2];
        read(sql, qualifiers, flags, 0);
        return new SqlReach(qualifiers, flags[0], flags[1]);
    }

    private static void read(String sql, Set<String> qualifiers, boolean[] flags, int depth) {
        List<SqlLexer.Statement> statements;
        try {
            statements = SqlLexer.split(sql);
        } catch (IllegalArgumentException e) {
            return;
        }
        for (SqlLexer.Statement statement : statements) {
            List<SqlLexer.Token> tokens = statement.tokens();
            for (int i = 0; i < tokens.size(); i++) {
                SqlLexer.Token token = tokens.get(i);
                boolean name = token.kind() == SqlLexer.Kind.WORD || token.kind() == SqlLexer.Kind.QUOTED;
                if (name && i + 1 < tokens.size() && tokens.get(i + 1).isSymbol(".")) {
                    qualifiers.add(token.value());
                }
                if (token.is("search_path") || token.is("set_config")) {
                    flags[0] = true;
                }
                boolean triggerFunction = i + 1 < tokens.size()
                        && (tokens.get(i + 1).is("function")
                                || tokens.get(i + 1).is("procedure"));
                if (token.is("execute") && !triggerFunction) {
                    flags[1] = true;
                }
                if (token.kind() == SqlLexer.Kind.STRING && depth < 8) {
                    read(contents(token.value()), qualifiers, flags, depth + 1);
                }
            }
        }
    }

    /** A string constant's text: {@code 'it''s'}, {@code E'...'} or {@code $tag$...$tag$}. */
    private static String contents(String constant) {
        if (constant.startsWith("$")) {
            int tag = constant.indexOf('$', 1) + 1;
            return constant.substring(tag, constant.length() - tag);
        }
        String quoted = constant.startsWith("'") ? constant : constant.substring(1);
        return quoted.substring(1, quoted.length() - 1).replace("''", "'");
    }
}
