package io.pgroll.jdbc;

/** The SQLStates the driver raises itself, each chosen so that pools and callers classify it rightly. */
final class SqlStates {
    private SqlStates() {}

    /** A property value that cannot be used (pgJDBC's own state for the same mistake). */
    static final String INVALID_PARAMETER_VALUE = "22023";

    /**
     * The requested version schema does not exist or is being torn down: PostgreSQL's own state for a
     * schema that is not there, so the error reads as what it is and not as a network failure.
     */
    static final String INVALID_SCHEMA_NAME = "3F000";

    /** The connection could be opened but not pinned (a proxy dropped the startup parameter). */
    static final String CONNECTION_REJECTED = "08004";

    /** The driver given a URL it does not handle. */
    static final String CONNECTION_UNABLE = "08001";
}
