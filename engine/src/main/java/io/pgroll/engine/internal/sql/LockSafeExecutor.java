package io.pgroll.engine.internal.sql;

import io.pgroll.engine.MigrationListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs DDL so that it never stalls the application's traffic.
 *
 * <p>A statement whose lock conflicts with reads or writes waits at most {@code lock_timeout} in the
 * lock queue: while it waits, every later query on that table queues behind it, so a long wait is an
 * outage. On a timeout (SQLSTATE 55P03) the whole transaction is rolled back and retried after a
 * capped exponential backoff with jitter, so that many migrators, or a busy table, do not retry in step.
 *
 * <p>An autovacuum in the way is a case of its own. PostgreSQL cancels one that blocks a lock waiter
 * (unless it prevents wraparound), but only once the waiter has waited {@code deadlock_timeout}, 1 s by
 * default: longer than our lock timeout, so we would give up first, retry, and queue the application's
 * statements behind us again and again until the autovacuum ends. In a 10M-row load run, complete waited
 * four times, 5 s in all, behind the autovacuum that the backfill's dead rows had started. Where the
 * session may set it, each transaction lowers {@code deadlock_timeout} below the lock timeout, so that
 * PostgreSQL's own rule cancels the autovacuum before we give up.
 *
 * <p>Statements that block neither reads nor writes (CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT)
 * would fail forever on a busy database under the short timeout; they run without it, bounded by a
 * total wait instead.
 */
public final class LockSafeExecutor {
    /**
     * Long enough for the clients that queued behind a statement that timed out on its lock to catch
     * up before it queues them again: with 25 to 50 ms, the load harness's clients, each half a second
     * behind, were made to wait a second time (741 ms in all, against 503 and 508 ms with this).
     */
    private static final Duration FIRST_DELAY = Duration.ofMillis(200);

    private static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private final Connection connection;
    private final Duration lockTimeout;
    private final Duration retryBudget;
    private final Duration concurrentTimeout;
    /** One round trip at the head of each transaction, backfill batches included. */
    private final String transactionSettings;

    private final MigrationListener listener;
    private final LockHolders holders;
    private final StatementObserver observer;

    /** The sessions that hold locks on the migrated schema's tables in a transaction older than a duration. */
    @FunctionalInterface
    public interface LockHolders {
        List<String> olderThan(Duration age) throws SQLException;
    }

    public LockSafeExecutor(
            Connection connection,
            Duration lockTimeout,
            Duration retryBudget,
            Duration concurrentTimeout,
            Optional<Duration> autovacuumCancelAfter,
            MigrationListener listener,
            LockHolders holders,
            StatementObserver observer) {
        this.connection = connection;
        this.lockTimeout = lockTimeout;
        this.retryBudget = retryBudget;
        this.concurrentTimeout = concurrentTimeout;
        // at least 1 ms: lock_timeout = 0 would mean no timeout at all
        this.transactionSettings = "SET LOCAL lock_timeout = " + Math.max(1, lockTimeout.toMillis())
                + autovacuumCancelAfter
                        .map(after -> "; SET LOCAL deadlock_timeout = " + Math.max(1, after.toMillis()))
                        .orElse("");
        this.listener = listener;
        this.holders = holders;
        this.observer = observer;
    }

    public Connection connection() {
        return connection;
    }

    /** Runs the statements in one short transaction under the lock timeout, retrying it on lock timeouts. */
    public void inTransaction(String... statements) throws SQLException {
        inTransaction(List.of(statements));
    }

    public void inTransaction(List<String> statements) throws SQLException {
        if (statements.isEmpty()) {
            return;
        }
        observer.transactionBegins(false);
        inTransaction(summary(statements), c -> {
            try (Statement st = c.createStatement()) {
                for (String sql : statements) {
                    observer.before(c, sql);
                    st.execute(sql);
                    observer.after(c, sql);
                }
            }
            return null;
        });
    }

    /**
     * Runs {@code work} in one short transaction under the lock timeout, retrying the whole of it on lock
     * timeouts as {@link #inTransaction(List)} does: for work that needs its statements' results, such as
     * a backfill batch, whose row locks must not wait behind a long transaction while they block writers.
     */
    public <T> T inTransaction(String description, Work<T> work) throws SQLException {
        long began = System.nanoTime();
        long deadline = began + retryBudget.toNanos();
        Duration delay = FIRST_DELAY;
        for (int attempt = 1; ; attempt++) {
            try {
                return runOnce(work);
            } catch (SQLException e) {
                if (!SqlStates.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    throw e;
                }
                // who holds it: a transaction that has been open longer than our wait
                List<String> blockers = holdersQuietly();
                if (System.nanoTime() > deadline) {
                    throw new SQLException(
                            e.getMessage() + "; gave up after " + attempt + " attempts over "
                                    + Duration.ofNanos(System.nanoTime() - began)
                                            .toSeconds() + " s (the lock "
                                    + "retry budget) at: " + description
                                    + (blockers.isEmpty() ? "" : "; held by " + String.join("; ", blockers))
                                    + "; end or wait for those transactions and run the command again, nothing"
                                    + " of this statement was applied",
                            e.getSQLState(),
                            e);
                }
                Duration wait = Retry.jittered(delay);
                listener.lockWait(description, attempt, wait);
                if (!blockers.isEmpty()) {
                    listener.lockHolders(description, blockers);
                }
                Retry.sleep(wait, "waiting to retry a statement");
                delay = Retry.doubled(delay, MAX_DELAY);
            }
        }
    }

    /** The diagnosis must never be what fails the migration. */
    private List<String> holdersQuietly() {
        try {
            return holders.olderThan(lockTimeout);
        } catch (SQLException e) {
            return List.of();
        }
    }

    /** Work done inside one of the executor's transactions. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T runOnce(Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute(transactionSettings);
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Runs one statement that takes no lock conflicting with reads or writes, outside any transaction
     * (CREATE INDEX CONCURRENTLY refuses to run inside one), bounded by the concurrent timeout.
     */
    public void concurrently(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SET lock_timeout = " + Math.max(1, concurrentTimeout.toMillis()));
            observer.transactionBegins(true);
            observer.before(connection, sql);
            try {
                st.execute(sql);
                observer.after(connection, sql);
            } finally {
                st.execute("RESET lock_timeout");
            }
        }
    }

    private static String summary(List<String> statements) {
        String first = statements.get(0);
        return first.length() > 120 ? first.substring(0, 117) + "..." : first;
    }
}
