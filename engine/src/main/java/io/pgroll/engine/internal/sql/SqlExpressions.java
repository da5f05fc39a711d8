package io.pgroll.engine.internal.sql;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small, lexical edits of the SQL expressions a migration carries (check constraints, index
 * predicates), for when the column they name lives under a temporary name during the migration.
 * It tokenises just enough to be safe: string literals, dollar-quoted strings, quoted identifiers and
 * comments are never touched; function names and type names (after {@code ::}) are not columns.
 */
public final class SqlExpressions {
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"]|\"\")+)\"");
    private static final Pattern WORD = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_$]*");

    private SqlExpressions() {}

    /**
     * Every name an SQL text could refer to an object by, over-approximated: each word as written and
     * lowercased, inside quoted identifiers and string literals too (a string cast to {@code regclass}
     * names a relation).
     */
    public static Set<String> names(String sql) {
        Set<String> names = new LinkedHashSet<>();
        Matcher quoted = QUOTED.matcher(sql);
        while (quoted.find()) {
            names.add(quoted.group(1).replace("\"\"", "\""));
        }
        Matcher word = WORD.matcher(sql);
        while (word.find()) {
            names.add(word.group());
            names.add(word.group().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    /**
     * What keeps a migration's fragment from being one expression, or null: a {@code ;} outside quotes
     * (which would end the statement it is placed in and start another: the trigger that evaluates it
     * would run that on every write), parentheses that do not pair, or a quote that does not end.
     */
    public static String notOneExpression(String expression) {
        int depth = 0;
        int n = expression.length();
        for (int i = 0; i < n; i++) {
            char c = expression.charAt(i);
            int skipTo = -1;
            if (c == '\'') {
                skipTo = closing(
                        expression,
                        i + 1,
                        (i > 0 && (expression.charAt(i - 1) == 'E' || expression.charAt(i - 1) == 'e')));
            } else if (c == '"') {
                skipTo = expression.indexOf('"', i + 1);
            } else if (c == '$' && dollarTagEnd(expression, i) > 0) {
                int tagEnd = dollarTagEnd(expression, i);
                int close = expression.indexOf(expression.substring(i, tagEnd), tagEnd);
                skipTo = close < 0 ? -1 : close + tagEnd - i - 1;
            } else if (c == '/' && i + 1 < n && expression.charAt(i + 1) == '*') {
                int close = expression.indexOf("*/", i + 2);
                skipTo = close < 0 ? -1 : close + 1;
            } else if (c == '-' && i + 1 < n && expression.charAt(i + 1) == '-') {
                int close = expression.indexOf('\n', i);
                skipTo = close < 0 ? n - 1 : close;
            } else {
                if (c == ';') {
                    return "it holds a ';' outside quotes, which would end the statement it is placed in";
                }
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                if (depth < 0) {
                    return "a ')' closes a parenthesis it did not open";
                }
                continue;
            }
            if (skipTo < 0) {
                return "a quote or comment that begins at character " + (i + 1) + " does not end";
            }
            i = skipTo;
        }
        return depth == 0 ? null : "a '(' is not closed";
    }

    /** The index of the quote that ends a string literal whose text begins at {@code from}, or -1. */
    private static int closing(String s, int from, boolean escapes) {
        for (int i = from; i < s.length(); i++) {
            char d = s.charAt(i);
            if (escapes && d == '\\') {
                i++;
            } else if (d == '\'') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Whether the expression refers to the column (by the same rules as {@link #renameColumn}). */
    public static boolean mentions(String expression, String column) {
        return !renameColumn(expression, column, column + "\u0001").equals(expression);
    }

    /** Rewrites every reference to column {@code from} in {@code expression} as the quoted {@code to}. */
    public static String renameColumn(String expression, String from, String to) {
        StringBuilder out = new StringBuilder(expression.length() + 16);
        int i = 0;
        int n = expression.length();
        while (i < n) {
            char c = expression.charAt(i);
            if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < n && expression.charAt(i + 1) == '\'')) {
                int start = i;
                boolean escapes = c != '\'';
                i = escapes ? i + 2 : i + 1;
                while (i < n) {
                    char d = expression.charAt(i);
                    if (escapes && d == '\\') {
                        i += 2;
                    } else if (d == '\'') {
                        if (i + 1 < n && expression.charAt(i + 1) == '\'') {
                            i += 2;
                        } else {
                            i++;
                            break;
                        }
                    } else {
                        i++;
                    }
                }
                out.append(expression, start, Math.min(i, n));
            } else if (c == '$' && dollarTagEnd(expression, i) > 0) {
                int tagEnd = dollarTagEnd(expression, i);
                String tag = expression.substring(i, tagEnd);
                int close = expression.indexOf(tag, tagEnd);
                int end = close < 0 ? n : close + tag.length();
                out.append(expression, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && expression.charAt(i + 1) == '-') {
                int end = expression.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(expression, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && expression.charAt(i + 1) == '*') {
                int end = expression.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(expression, i, end);
                i = end;
            } else if (c == '"') {
                int end = i + 1;
                StringBuilder name = new StringBuilder();
                while (end < n) {
                    char d = expression.charAt(end);
                    if (d == '"') {
                        if (end + 1 < n && expression.charAt(end + 1) == '"') {
                            name.append('"');
                            end += 2;
                            continue;
                        }
                        end++;
                        break;
                    }
                    name.append(d);
                    end++;
                }
                boolean isColumn = name.toString().equals(from) && !isTypeOrFunction(expression, i, end);
                out.append(isColumn ? Sql.ident(to) : expression.substring(i, end));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i + 1;
                while (end < n
                        && (Character.isLetterOrDigit(expression.charAt(end))
                                || expression.charAt(end) == '_'
                                || expression.charAt(end) == '$')) {
                    end++;
                }
                String word = expression.substring(i, end);
                boolean isColumn = word.toLowerCase(Locale.ROOT).equals(from) && !isTypeOrFunction(expression, i, end);
                out.append(isColumn ? Sql.ident(to) : word);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** A word followed by {@code (} is a function; one preceded by {@code ::} is a type. */
    private static boolean isTypeOrFunction(String s, int start, int end) {
        int after = end;
        while (after < s.length() && Character.isWhitespace(s.charAt(after))) {
            after++;
        }
        if (after < s.length() && s.charAt(after) == '(') {
            return true;
        }
        int before = start - 1;
        while (before >= 0 && Character.isWhitespace(s.charAt(before))) {
            before--;
        }
        return before >= 1 && s.charAt(before) == ':' && s.charAt(before - 1) == ':';
    }

    /** The index just after a dollar-quote opening tag at {@code i} ($$ or $tag$), or -1. */
    private static int dollarTagEnd(String s, int i) {
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            if (j == i + 1 && Character.isDigit(s.charAt(j))) {
                return -1; // $1 is a parameter, not a tag
            }
            j++;
        }
        return j < s.length() && s.charAt(j) == '$' ? j + 1 : -1;
    }
}
