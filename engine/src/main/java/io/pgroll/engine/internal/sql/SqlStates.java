package io.pgroll.engine.internal.sql;

/** The SQLSTATEs the engine raises or tells apart, named as PostgreSQL's errcodes appendix names them. */
public final class SqlStates {
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    public static final String SERIALIZATION_FAILURE = "40001";
    public static final String DEADLOCK_DETECTED = "40P01";
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    public static final String UNDEFINED_COLUMN = "42703";
    public static final String UNDEFINED_TABLE = "42P01";
    public static final String OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    public static final String QUERY_CANCELED = "57014";

    private SqlStates() {}

    /**
     * Whether the error says the database could not be reached or worked with (connection exceptions,
     * insufficient resources, operator intervention, system errors), rather than that the work was wrong.
     */
    public static boolean isUnavailable(String sqlState) {
        return sqlState != null
                && (sqlState.startsWith("08")
                        || sqlState.startsWith("53")
                        || sqlState.startsWith("57")
                        || sqlState.startsWith("58"));
    }
}
