package io.pgroll.jdbc;

/**
 * What a connection of this driver is pinned to, for frameworks that must name objects outside the
 * version schema (sequences live in the migrated schema, which is not on the pinned {@code
 * search_path}). Reached with {@code connection.unwrap(PgrollConnection.class)}, through a pool too.
 */
public interface PgrollConnection {
    /** The version schema the connection's {@code search_path} is pinned to, e.g. {@code public_02_add_rating}. */
    String versionSchema();

    /** The schema the migrations change, e.g. {@code public}: its tables are behind the version schema's views. */
    String migratedSchema();
}
