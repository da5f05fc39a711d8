package io.pgroll.engine.internal.operations;

import java.sql.SQLException;

/**
 * An operation that does not fit the schema it would run on; the caller adds the file and operation.
 * When the server's answer decided it (a type PostgreSQL cannot read), that answer is the cause.
 */
public final class InvalidOperationException extends RuntimeException {
    InvalidOperationException(String message) {
        super(message);
    }

    InvalidOperationException(String message, SQLException cause) {
        super(message, cause);
    }
}
