package io.pgroll.engine;

import java.sql.SQLException;

/**
 * Every failure the engine reports. The message is one paragraph for a person: it names the file, the
 * operation and the object at fault, and where it can, the way out. {@link #kind()} tells callers (the
 * CLI's exit code, the Spring starter) what class of failure it is; {@link #sqlState()} keeps the
 * SQLState of the database error underneath, when there is one.
 */
public class PgrollException extends RuntimeException {
    private final ErrorKind kind;

    public PgrollException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PgrollException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The SQLState of the first {@link SQLException} in the cause chain, or null. */
    public String sqlState() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** The classes of failure, each with the exit code the CLI uses for it. */
    public enum ErrorKind {
        /** A migration file that cannot be read or does not follow the format. */
        INVALID_MIGRATION(1),
        /** A migration that is well-formed but does not fit the database's current schema. */
        VALIDATION_FAILED(1),
        /** The state does not allow the command: nothing active to complete, another migration active, not initialised. */
        WRONG_STATE(1),
        /** Another migrator holds the lock for longer than we were willing to wait. */
        LOCKED(1),
        /** The server cannot be reached or refused the credentials. */
        CONNECTION_FAILED(1),
        /** A statement failed while the migration ran. */
        DATABASE_ERROR(1);

        private final int exitCode;

        ErrorKind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }
}
