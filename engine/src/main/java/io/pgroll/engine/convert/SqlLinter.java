package io.pgroll.engine.convert;

import io.pgroll.engine.convert.SqlLexer.Kind;
import io.pgroll.engine.convert.SqlLexer.Statement;
import io.pgroll.engine.convert.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code lint}: the statements of a script that block the application's reads or writes, or break the
 * clients of the running version, each with the lock it takes and the safe way (the core of squawk's
 * and strong_migrations' rules), for the server major version given. It reads SQL only; whether a
 * table is empty or small, which would make a finding harmless, it cannot know.
 */
public final class SqlLinter {
    /** The rule a migration's {@code sql} operation is spared: the tool runs it under its lock timeout. */
    public static final String MISSING_LOCK_TIMEOUT = "missing-lock-timeout";

    /** One statement that blocks or breaks, its rule's name and what to do instead. */
    public record Finding(int line, String rule, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + rule + ": " + message;
        }
    }

    /** Functions whose default PostgreSQL cannot store once for all rows: each row is written. */
    private static final Set<String> VOLATILE = Set.of(
            "random",
            "gen_random_uuid",
            "uuid_generate_v1",
            "uuid_generate_v4",
            "clock_timestamp",
            "timeofday",
            "nextval",
            "txid_current",
            "statement_timestamp");

    private final int serverMajor;
    private final List<Finding> findings = new ArrayList<>();
    private boolean lockTimeoutSet;
    private boolean lockTimeoutReported;

    private SqlLinter(int serverMajor) {
        this.serverMajor = serverMajor;
    }

    /**
     * The findings of a script, in order.
     *
     * @throws IllegalArgumentException when a quote, dollar quote or comment is never closed
     */
    public static List<Finding> lint(String sql, int serverMajor) {
        SqlLinter linter = new SqlLinter(serverMajor);
        for (Statement statement : SqlLexer.split(sql)) {
            if (statement.tokens().get(0).kind() != Kind.META) {
                linter.statement(statement);
            }
        }
        return List.copyOf(linter.findings);
    }

    private void statement(Statement s) {
        List<Token> t = s.tokens();
        if (startsWith(t, "set") || startsWith(t, "set", "local")) {
            lockTimeoutSet |= has(t, "lock_timeout");
            return;
        }
        boolean alterTable = startsWith(t, "alter", "table");
        boolean createIndex = startsWith(t, "create", "index") || startsWith(t, "create", "unique", "index");
        boolean locksTable = alterTable
                || (createIndex && !has(t, "concurrently"))
                || startsWith(t, "drop", "table")
                || (startsWith(t, "drop", "index") && !has(t, "concurrently"))
                || startsWith(t, "vacuum", "full")
                || startsWith(t, "cluster")
                || startsWith(t, "reindex")
                || startsWith(t, "lock");
        if (locksTable && !lockTimeoutSet && !lockTimeoutReported) {
            lockTimeoutReported = true;
            add(
                    s,
                    MISSING_LOCK_TIMEOUT,
                    "this statement waits for its lock with no lock_timeout: while it waits"
                            + " behind a long transaction, every query on the table queues behind it. Put SET lock_timeout ="
                            + " '2s' (and retry on timeout) before it");
        }
        if (createIndex && !has(t, "concurrently")) {
            add(
                    s,
                    "index-not-concurrently",
                    "CREATE INDEX holds a SHARE lock, blocking writes to the table until the"
                            + " index is built. Use CREATE INDEX CONCURRENTLY (outside a transaction)");
        }
        if (startsWith(t, "drop", "index") && !has(t, "concurrently")) {
            add(
                    s,
                    "drop-index-not-concurrently",
                    "DROP INDEX takes an ACCESS EXCLUSIVE lock on the table. Use DROP" + " INDEX CONCURRENTLY");
        }
        if (startsWith(t, "reindex") && !has(t, "concurrently")) {
            add(
                    s,
                    "reindex-not-concurrently",
                    "REINDEX blocks writes (and reads that use the index) until it ends. "
                            + (serverMajor >= 12
                                    ? "Use REINDEX CONCURRENTLY"
                                    : "Build a new index concurrently and swap"));
        }
        if (startsWith(t, "vacuum", "full") || startsWith(t, "cluster")) {
            add(
                    s,
                    "table-rewrite",
                    "rewrites the table under an ACCESS EXCLUSIVE lock: no reads or writes until it"
                            + " ends. Use pg_repack, or schedule downtime");
        }
        if (startsWith(t, "drop", "table")) {
            add(
                    s,
                    "drop-table",
                    "the running version's queries on the table fail from now on. Drop it only once no"
                            + " deployed version uses it (pgroll's drop_table keeps it until complete)");
        }
        if (alterTable) {
            alterTable(s, t);
        }
    }

    private void alterTable(Statement s, List<Token> t) {
        if (has(t, "add") && (has(t, "foreign", "key") || has(t, "references")) && !has(t, "not", "valid")) {
            add(
                    s,
                    "constraint-not-valid",
                    "adding a foreign key checks every row while holding SHARE ROW EXCLUSIVE"
                            + " locks on both tables, blocking their writes. Add it NOT VALID, then VALIDATE CONSTRAINT in a"
                            + " later transaction");
        }
        if (has(t, "add") && has(t, "check") && !has(t, "not", "valid")) {
            add(
                    s,
                    "constraint-not-valid",
                    "adding a CHECK scans the table under an ACCESS EXCLUSIVE lock. Add it NOT"
                            + " VALID, then VALIDATE CONSTRAINT in a later transaction");
        }
        if (has(t, "add") && (has(t, "primary", "key") || has(t, "unique")) && !has(t, "using", "index")) {
            add(
                    s,
                    "constraint-builds-index",
                    "adding a primary key or unique constraint builds its index under an"
                            + " ACCESS EXCLUSIVE lock. Build a unique index CONCURRENTLY first, then ADD CONSTRAINT ... USING"
                            + " INDEX");
        }
        if (has(t, "set", "not", "null")) {
            add(
                    s,
                    "set-not-null",
                    "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock"
                            + (serverMajor >= 12
                                    ? ". Add a CHECK (column IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL skips the"
                                            + " scan"
                                    : "; before PostgreSQL 12 there is no way around the scan"));
        }
        if (has(t, "add") && has(t, "default") && !has(t, "constraint") && addsVolatileDefault(t)) {
            add(
                    s,
                    "volatile-default",
                    serverMajor >= 11
                            ? "a column added with a volatile default is written into every row under an ACCESS EXCLUSIVE lock."
                                    + " Add it without the default, set the default, then backfill in batches"
                            : "before PostgreSQL 11, a column added with any default rewrites the table under an ACCESS"
                                    + " EXCLUSIVE lock. Add it without the default, set the default, then backfill in"
                                    + " batches");
        }
        if (changesType(t)) {
            add(
                    s,
                    "type-change",
                    "changing a column's type rewrites the table (and its indexes) under an ACCESS"
                            + " EXCLUSIVE lock, unless the types are binary coercible (varchar(n) to a longer varchar or to"
                            + " text). Add a new column, backfill it, switch over (pgroll's alter_column type does so)");
        }
        if (has(t, "rename") && !has(t, "rename", "constraint")) {
            add(
                    s,
                    "rename",
                    "the running version's queries naming the old name fail from now on. Rename through"
                            + " a view or a version schema (pgroll's rename operations do)");
        }
        if (has(t, "drop", "column")
                || (has(t, "drop")
                        && !has(t, "constraint")
                        && !has(t, "default")
                        && !has(t, "not", "null")
                        && !has(t, "identity")
                        && !has(t, "expression"))) {
            add(
                    s,
                    "drop-column",
                    "the running version's queries naming the column fail from now on. Drop it only"
                            + " once no deployed version uses it (pgroll's drop_column keeps it until complete)");
        }
    }

    /** {@code ALTER [COLUMN] c [SET DATA] TYPE t}: "type" two words after ALTER or COLUMN, not a column named so. */
    private static boolean changesType(List<Token> t) {
        for (int i = 2; i < t.size(); i++) {
            if (t.get(i).is("type") && (t.get(i - 2).is("alter") || t.get(i - 2).is("column"))) {
                return true;
            }
        }
        return has(t, "set", "data", "type");
    }

    private boolean addsVolatileDefault(List<Token> t) {
        if (serverMajor < 11) {
            return true;
        }
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.get(i).kind() == Kind.WORD
                    && VOLATILE.contains(t.get(i).value())
                    && t.get(i + 1).isSymbol("(")) {
                return true;
            }
        }
        return false;
    }

    private void add(Statement s, String rule, String message) {
        findings.add(new Finding(s.line(), rule, message));
    }

    private static boolean startsWith(List<Token> t, String... words) {
        if (t.size() < words.length) {
            return false;
        }
        for (int i = 0; i < words.length; i++) {
            if (!t.get(i).is(words[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether the words come one after the other anywhere in the statement. */
    private static boolean has(List<Token> t, String... words) {
        for (int i = 0; i + words.length <= t.size(); i++) {
            boolean match = true;
            for (int j = 0; j < words.length && match; j++) {
                match = t.get(i + j).is(words[j]);
            }
            if (match) {
                return true;
            }
        }
        return false;
    }
}
