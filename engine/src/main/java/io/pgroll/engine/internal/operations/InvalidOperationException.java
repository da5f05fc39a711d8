package io.pgroll.engine.internal.operations;

/** An operation that does not fit the schema it would run on; the caller adds the file and operation. */
final class InvalidOperationException extends RuntimeException {
    InvalidOperationException(String message) {
        super(message);
    }
}
