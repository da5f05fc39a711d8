package io.pgroll.engine.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's lexical structure, enough to split a script into statements and read DDL: identifiers
 * (folded to lower case unless quoted), string constants ({@code '...'} with {@code ''}, {@code E'...'}
 * with backslash escapes, {@code $tag$...$tag$}), numbers, operators and punctuation; comments ({@code
 * --}, nested {@code /* *}{@code /}) are skipped. Every token keeps its place in the source, so that an
 * expression is taken back exactly as it was written.
 */
final class SqlLexer {
    enum Kind {
        /** An unquoted identifier or key word; {@code value} is folded to lower case. */
        WORD,
        /** A quoted identifier; {@code value} is its name, {@code ""} undoubled. */
        QUOTED,
        STRING,
        NUMBER,
        /** Punctuation or an operator: {@code ( ) , ; . :: [ ]} and runs of operator characters. */
        SYMBOL,
        /**
         * A psql meta-command ({@code \\restrict}, {@code \\connect}, ...): a line starting with a backslash,
         * a statement of its own.
         */
        META
    }

    record Token(Kind kind, String value, int start, int end) {
        boolean is(String word) {
            return kind == Kind.WORD && value.equals(word);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && value.equals(symbol);
        }
    }

    /** A statement: its tokens and where it lies in the script (1-based line of its first token). */
    record Statement(String text, List<Token> tokens, int line) {}

    private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";

    private final String sql;
    private int pos;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    /**
     * The script's statements, split at the semicolons outside quotes, comments and dollar quotes (and
     * outside a {@code BEGIN ATOMIC ... END} function body); each token's offsets are relative to its
     * statement's text.
     *
     * @throws IllegalArgumentException when a quote or comment is not closed (its line is named)
     */
    static List<Statement> split(String sql) {
        List<Token> tokens = new SqlLexer(sql).tokens();
        List<Statement> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int atomicDepth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("atomic") && i > 0 && tokens.get(i - 1).is("begin")) {
                atomicDepth++;
            } else if (atomicDepth > 0 && t.is("case")) {
                atomicDepth++;
            } else if (atomicDepth > 0 && t.is("end")) {
                atomicDepth--;
            }
            if (t.kind() == Kind.META) {
                add(statements, current, sql);
                add(statements, List.of(t), sql);
                current = new ArrayList<>();
            } else if (t.isSymbol(";") && atomicDepth == 0) {
                add(statements, current, sql);
                current = new ArrayList<>();
            } else {
                current.add(t);
            }
        }
        add(statements, current, sql);
        return statements;
    }

    private static void add(List<Statement> statements, List<Token> tokens, String sql) {
        if (tokens.isEmpty()) {
            return;
        }
        int start = tokens.get(0).start();
        int end = tokens.get(tokens.size() - 1).end();
        List<Token> relative = new ArrayList<>(tokens.size());
        for (Token t : tokens) {
            relative.add(new Token(t.kind(), t.value(), t.start() - start, t.end() - start));
        }
        statements.add(new Statement(sql.substring(start, end), relative, lineOf(sql, start)));
    }

    private static int lineOf(String sql, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (sql.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private List<Token> tokens() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= sql.length()) {
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipSpaceAndComments() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (sql.startsWith("--", pos)) {
                int eol = sql.indexOf('\n', pos);
                pos = eol < 0 ? sql.length() : eol + 1;
            } else if (sql.startsWith("/*", pos)) {
                skipBlockComment();
            } else {
                return;
            }
        }
    }

    private void skipBlockComment() {
        int start = pos;
        int depth = 0;
        while (pos < sql.length()) {
            if (sql.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (sql.startsWith("*/", pos)) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                pos++;
            }
        }
        throw unclosed("comment", start);
    }

    private Token next() {
        int start = pos;
        char c = sql.charAt(pos);
        if (c == '\\' && atLineStart(start)) {
            int eol = sql.indexOf('\n', pos);
            pos = eol < 0 ? sql.length() : eol;
            return token(Kind.META, start);
        }
        if ((c == 'E' || c == 'e') && pos + 1 < sql.length() && sql.charAt(pos + 1) == '\'') {
            pos++;
            quoted('\'', true);
            return token(Kind.STRING, start);
        }
        if (c == '\'') {
            quoted('\'', false);
            return token(Kind.STRING, start);
        }
        if (c == '"') {
            quoted('"', false);
            String name = sql.substring(start + 1, pos - 1).replace("\"\"", "\"");
            return new Token(Kind.QUOTED, name, start, pos);
        }
        if (c == '$' && dollarQuote()) {
            return token(Kind.STRING, start);
        }
        if (Character.isLetter(c) || c == '_') {
            while (pos < sql.length() && isIdentifierPart(sql.charAt(pos))) {
                pos++;
            }
            return new Token(Kind.WORD, sql.substring(start, pos).toLowerCase(Locale.ROOT), start, pos);
        }
        if (Character.isDigit(c) || (c == '.' && pos + 1 < sql.length() && Character.isDigit(sql.charAt(pos + 1)))) {
            while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                pos++;
            }
            return token(Kind.NUMBER, start);
        }
        if (c == '$') {
            // a parameter, $1
            pos++;
            while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
                pos++;
            }
            return token(Kind.SYMBOL, start);
        }
        if (sql.startsWith("::", pos)) {
            pos += 2;
            return token(Kind.SYMBOL, start);
        }
        if (OPERATOR_CHARS.indexOf(c) >= 0) {
            while (pos < sql.length()
                    && OPERATOR_CHARS.indexOf(sql.charAt(pos)) >= 0
                    && !sql.startsWith("--", pos)
                    && !sql.startsWith("/*", pos)) {
                pos++;
            }
            return token(Kind.SYMBOL, start);
        }
        pos++;
        return token(Kind.SYMBOL, start);
    }

    private boolean atLineStart(int offset) {
        for (int i = offset - 1; i >= 0; i--) {
            char c = sql.charAt(i);
            if (c == '\n') {
                return true;
            }
            if (!Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    private Token token(Kind kind, int start) {
        return new Token(kind, sql.substring(start, pos), start, pos);
    }

    private void quoted(char quote, boolean backslashEscapes) {
        int start = pos;
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (backslashEscapes && c == '\\') {
                pos += 2;
            } else if (c == quote) {
                if (pos + 1 < sql.length() && sql.charAt(pos + 1) == quote) {
                    pos += 2;
                } else {
                    pos++;
                    return;
                }
            } else {
                pos++;
            }
        }
        throw unclosed(quote == '"' ? "quoted identifier" : "string", start);
    }

    /** A {@code $tag$...$tag$} constant at {@code pos}, read whole; false when the {@code $} starts none. */
    private boolean dollarQuote() {
        int end = pos + 1;
        while (end < sql.length() && isIdentifierPart(sql.charAt(end)) && sql.charAt(end) != '$') {
            end++;
        }
        if (end >= sql.length()
                || sql.charAt(end) != '$'
                || (end > pos + 1 && Character.isDigit(sql.charAt(pos + 1)))) {
            return false;
        }
        String tag = sql.substring(pos, end + 1);
        int close = sql.indexOf(tag, end + 1);
        if (close < 0) {
            throw unclosed("dollar-quoted string " + tag, pos);
        }
        pos = close + tag.length();
        return true;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private IllegalArgumentException unclosed(String what, int start) {
        return new IllegalArgumentException(
                "line " + lineOf(sql, start) + ": the " + what + " opened there is never" + " closed");
    }
}
