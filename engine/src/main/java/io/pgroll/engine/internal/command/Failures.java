package io.pgroll.engine.internal.command;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.model.Migration;
import java.sql.SQLException;

/** The messages of the failures every command shares: one paragraph, naming the object and the way out. */
final class Failures {
    /**
     * PostgreSQL's hint on a drop that other objects block. Never passed on: CASCADE would drop the
     * user's objects (and their data) along with the migration's.
     */
    private static final String CASCADE_HINT = "Hint: Use DROP ... CASCADE to drop the dependent objects too.";

    private Failures() {}

    /** The database's message on one line (pgJDBC puts Detail, Hint and Position on lines of their own). */
    static String sqlMessage(SQLException e) {
        String message = e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getMessage().strip().replace(CASCADE_HINT, "").strip().replaceAll("\\s*\\R\\s*", "; ");
        return e.getSQLState() == null ? message : message + " [SQLSTATE " + e.getSQLState() + "]";
    }

    static String message(Throwable e) {
        return e instanceof SQLException sql ? sqlMessage(sql) : String.valueOf(e.getMessage());
    }

    static PgrollException databaseError(String command, SQLException e) {
        return new PgrollException(ErrorKind.DATABASE_ERROR, command + " failed: " + sqlMessage(e), e);
    }

    static PgrollException operationFailed(
            String phase, Migration migration, int index, SQLException e, String wayOut) {
        return new PgrollException(
                ErrorKind.DATABASE_ERROR,
                phase + " of migration \"" + migration.name() + "\": operation " + (index + 1) + " ("
                        + migration.operations().get(index).describe() + ") failed: " + sqlMessage(e) + ". " + wayOut
                        + ".",
                e);
    }

    static PgrollException interruptedStart(String schema, String migration) {
        return new PgrollException(
                ErrorKind.WRONG_STATE,
                "The start of migration \"" + migration + "\" on schema \"" + schema + "\" was "
                        + "interrupted before it finished, so it can neither be completed nor started again as it "
                        + "is. Run `pgroll rollback`, then start it again.");
    }
}
