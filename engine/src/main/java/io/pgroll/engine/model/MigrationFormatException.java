package io.pgroll.engine.model;

import io.pgroll.engine.PgrollException;

/**
 * A migration file that cannot be read or does not follow pgroll's migration format. The message is
 * one line naming the file and, where the fault is inside an operation, the operation's position
 * (1-based), kind and object, and the field at fault.
 */
public class MigrationFormatException extends PgrollException {
    public MigrationFormatException(String message) {
        super(ErrorKind.INVALID_MIGRATION, message);
    }

    public MigrationFormatException(String message, Throwable cause) {
        super(ErrorKind.INVALID_MIGRATION, message, cause);
    }
}
