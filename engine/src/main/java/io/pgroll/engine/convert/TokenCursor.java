package io.pgroll.engine.convert;

import io.pgroll.engine.convert.SqlLexer.Kind;
import io.pgroll.engine.convert.SqlLexer.Statement;
import io.pgroll.engine.convert.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one statement's tokens front to back. A form it does not expect throws {@link Unsupported},
 * which makes the whole statement a {@code sql} operation: nothing is ever guessed.
 */
final class TokenCursor {
    private final Statement statement;
    private final List<Token> tokens;
    private int next;

    TokenCursor(Statement statement) {
        this.statement = statement;
        this.tokens = statement.tokens();
    }

    /** Why a statement stays SQL: a form that has no operation, said for the warning. */
    static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean worthAWarning;

        Unsupported(String why) {
            this(why, true);
        }

        /** {@code worthAWarning} false: SQL is what the statement should be, nothing to tell. */
        Unsupported(String why, boolean worthAWarning) {
            super(why, null, false, false);
            this.worthAWarning = worthAWarning;
        }

        boolean worthAWarning() {
            return worthAWarning;
        }
    }

    boolean atEnd() {
        return next >= tokens.size();
    }

    boolean peek(String word) {
        return !atEnd() && tokens.get(next).is(word);
    }

    /** Whether the word comes {@code offset} tokens after the next one. */
    boolean peekAt(int offset, String word) {
        return next + offset < tokens.size() && tokens.get(next + offset).is(word);
    }

    /** The word {@code offset} tokens after the next one, or null when none is there. */
    String peekWordAt(int offset) {
        return next + offset < tokens.size() && tokens.get(next + offset).kind() == Kind.WORD
                ? tokens.get(next + offset).value()
                : null;
    }

    boolean peekSymbol(String symbol) {
        return !atEnd() && tokens.get(next).isSymbol(symbol);
    }

    /** Takes the words if they come next, in order. */
    boolean accept(String... words) {
        for (int i = 0; i < words.length; i++) {
            if (next + i >= tokens.size() || !tokens.get(next + i).is(words[i])) {
                return false;
            }
        }
        next += words.length;
        return true;
    }

    boolean acceptSymbol(String symbol) {
        if (peekSymbol(symbol)) {
            next++;
            return true;
        }
        return false;
    }

    void expect(String... words) {
        if (!accept(words)) {
            throw new Unsupported("expected " + String.join(" ", words).toUpperCase(Locale.ROOT) + " " + where());
        }
    }

    void expectSymbol(String symbol) {
        if (!acceptSymbol(symbol)) {
            throw new Unsupported("expected \"" + symbol + "\" " + where());
        }
    }

    void expectEnd() {
        if (!atEnd()) {
            throw new Unsupported("the clause " + where() + " has no counterpart in an operation");
        }
    }

    /** Refuses the statement when one of the words comes next. */
    void refuse(String why, String... words) {
        for (String word : words) {
            if (peek(word)) {
                throw new Unsupported(word.toUpperCase(Locale.ROOT) + " " + why);
            }
        }
    }

    /** An identifier (a key word is one too where PostgreSQL allows it). */
    String identifier() {
        if (atEnd()) {
            throw new Unsupported("a name is missing at the end");
        }
        Token t = tokens.get(next);
        if (t.kind() != Kind.WORD && t.kind() != Kind.QUOTED) {
            throw new Unsupported("expected a name " + where());
        }
        next++;
        return t.value();
    }

    /** A possibly schema-qualified name, as its parts. */
    List<String> qualifiedName() {
        List<String> parts = new ArrayList<>();
        parts.add(identifier());
        while (acceptSymbol(".")) {
            parts.add(identifier());
        }
        return parts;
    }

    /** {@code ( name, name, ... )}. */
    List<String> identifierList() {
        expectSymbol("(");
        List<String> names = new ArrayList<>();
        do {
            names.add(identifier());
        } while (acceptSymbol(","));
        expectSymbol(")");
        return names;
    }

    /**
     * The source text from here up to (not including) the first of {@code stopWords} or {@code ,} / {@code
     * )} outside parentheses, or the end: an expression or a type exactly as written. At least one
     * token is taken.
     */
    String textUntil(Set<String> stopWords) {
        int from = next;
        int depth = 0;
        while (!atEnd()) {
            Token t = tokens.get(next);
            if (depth == 0 && next > from) {
                if (t.kind() == Kind.WORD && stopWords.contains(t.value())) {
                    break;
                }
            }
            if (depth == 0 && (t.isSymbol(",") || t.isSymbol(")"))) {
                break;
            }
            if (t.isSymbol("(") || t.isSymbol("[")) {
                depth++;
            } else if (t.isSymbol(")") || t.isSymbol("]")) {
                depth--;
            }
            next++;
        }
        if (next == from) {
            throw new Unsupported("an expression is missing " + where());
        }
        return statement
                .text()
                .substring(tokens.get(from).start(), tokens.get(next - 1).end());
    }

    /** The text inside the parentheses that come next, exactly as written, and past them. */
    String parenthesized() {
        expectSymbol("(");
        int from = next;
        int depth = 1;
        while (!atEnd()) {
            Token t = tokens.get(next);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")") && --depth == 0) {
                break;
            }
            next++;
        }
        if (atEnd()) {
            throw new Unsupported("a parenthesis is not closed");
        }
        if (next == from) {
            throw new Unsupported("empty parentheses " + where());
        }
        String text = statement
                .text()
                .substring(tokens.get(from).start(), tokens.get(next - 1).end());
        next++;
        return text;
    }

    private String where() {
        if (atEnd()) {
            return "at the end";
        }
        Token t = tokens.get(next);
        return "at \"" + statement.text().substring(t.start(), t.end()) + "\"";
    }
}
