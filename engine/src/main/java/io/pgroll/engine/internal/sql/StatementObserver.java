package io.pgroll.engine.internal.sql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Sees each statement the executor runs, on its connection, inside the statement's own transaction:
 * plan's dry run measures there what a statement locks, scans and rewrites.
 */
public interface StatementObserver {
    /** Observes nothing: every real run. */
    StatementObserver NONE = new StatementObserver() {};

    /** A transaction of the executor begins; {@code concurrent} when its one statement runs outside any. */
    default void transactionBegins(boolean concurrent) {}

    /** Just before {@code sql} runs. */
    default void before(Connection connection, String sql) throws SQLException {}

    /** Just after {@code sql} ran, still inside its transaction unless it runs outside any. */
    default void after(Connection connection, String sql) throws SQLException {}
}
