package io.pgroll.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the state store says about a schema's versions, read in one query on the connection being
 * validated: the latest and previous version schemas, whether each still exists, whether a migration is
 * in progress (the previous version is live only then: {@code complete} drops it first), which version
 * schema a requested name means in the history, and the session's {@code search_path} beside what it
 * must be.
 *
 * <p>Every name is schema-qualified: the session's {@code search_path} is the version schema, where
 * neither the state functions nor the catalog are found otherwise.
 *
 * @param latest the latest version schema's suffix, or null when no migration published one
 * @param previous the previous version schema's suffix, or null
 * @param named the suffix of the version schema that the requested name means, or null when the
 *     history does not know the name
 * @param namedBaseline whether the requested name is a baseline of the history
 * @param baselineLive whether it is, and no migration completed after it: its version is the tables
 *     themselves (a baseline publishes no version schema), which a client then pins to
 * @param searchPath the session's {@code current_setting('search_path')}
 * @param expectedSearchPath {@code quote_ident(target)}: what the engine's triggers compare it with
 */
record VersionState(
        String schema,
        String latest,
        String previous,
        boolean active,
        boolean latestExists,
        boolean previousExists,
        String named,
        boolean namedBaseline,
        boolean baselineLive,
        String searchPath,
        String expectedSearchPath) {

    private static final String QUERY =
            """
            WITH p (schema, requested, target) AS (VALUES (?::name, ?::text, ?::text)),
            v AS (
                SELECT %1$s.latest_version(p.schema) AS latest,
                       %1$s.previous_version(p.schema) AS previous,
                       %1$s.is_active_migration_period(p.schema) AS active
                FROM p)
            SELECT v.latest, v.previous, v.active,
                   EXISTS (SELECT FROM pg_catalog.pg_namespace n WHERE n.nspname = p.schema || '_' || v.latest),
                   EXISTS (SELECT FROM pg_catalog.pg_namespace n WHERE n.nspname = p.schema || '_' || v.previous),
                   (SELECT COALESCE(m.migration ->> 'version_schema', m.name)
                    FROM %1$s.migrations m
                    WHERE m.schema = p.schema AND m.migration_type = 'pgroll'
                      AND (m.name = p.requested
                           OR COALESCE(m.migration ->> 'version_schema', m.name) = p.requested
                           OR p.schema || '_' || COALESCE(m.migration ->> 'version_schema', m.name) = p.requested)
                    ORDER BY m.name = p.requested DESC
                    LIMIT 1),
                   EXISTS (SELECT FROM %1$s.migrations b
                           WHERE b.schema = p.schema AND b.migration_type = 'baseline' AND b.name = p.requested),
                   EXISTS (SELECT FROM %1$s.migrations b
                           WHERE b.schema = p.schema AND b.migration_type = 'baseline' AND b.name = p.requested
                             AND NOT EXISTS (SELECT FROM %1$s.migrations later
                                             WHERE later.schema = b.schema AND later.name <> b.name AND later.done
                                               AND later.migration_type IN ('pgroll', 'baseline')
                                               AND later.created_at > b.created_at)),
                   pg_catalog.current_setting('search_path'),
                   pg_catalog.quote_ident(p.target)
            FROM p, v
            """;

    /**
     * Reads the state. A missing state schema or an older layout fails with the server's SQLState and a
     * message that says where the driver looked and what to do.
     *
     * @param requested the name the user asked for (a migration or version schema name), or null
     * @param target the version schema the session is pinned to, or null
     */
    static VersionState read(Connection connection, PinSettings settings, String requested, String target)
            throws SQLException {
        String sql = QUERY.formatted(Identifiers.quote(settings.stateSchema()));
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, settings.schema());
            ps.setString(2, requested);
            ps.setString(3, target);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new VersionState(
                        settings.schema(),
                        rs.getString(1),
                        rs.getString(2),
                        rs.getBoolean(3),
                        rs.getBoolean(4),
                        rs.getBoolean(5),
                        rs.getString(6),
                        rs.getBoolean(7),
                        rs.getBoolean(8),
                        rs.getString(9),
                        rs.getString(10));
            }
        } catch (SQLException e) {
            throw new SQLException(
                    settings.describe() + ": cannot read the migration history from state schema \""
                            + settings.stateSchema() + "\" of database \"" + connection.getCatalog() + "\" ("
                            + e.getMessage() + "). Run `pgroll init` and start a migration there, or set "
                            + PgrollProperty.STATE_SCHEMA.getName() + " to the schema that holds the history.",
                    e.getSQLState(),
                    e.getErrorCode(),
                    e);
        }
    }

    /** {@code <schema>_<version>}: pgroll's rule, which the engine's model states too (this driver has no engine). */
    private String versionSchema(String version) {
        return schema + "_" + version;
    }

    /** The version schemas a client may pin to now, newest first. */
    List<String> live() {
        List<String> live = new ArrayList<>(2);
        if (latest != null && latestExists) {
            live.add(versionSchema(latest));
        }
        if (active && previous != null && previousExists) {
            live.add(versionSchema(previous));
        }
        if (baselineLive) {
            live.add(schema);
        }
        return live;
    }

    /** The version schema the requested name means in the history, or null. */
    String namedVersionSchema() {
        return named == null ? null : versionSchema(named);
    }

    /** The live versions, each with its role, described for a message. */
    String describeLive() {
        List<String> live = new ArrayList<>(2);
        if (latest != null && latestExists) {
            live.add(versionSchema(latest) + " (latest" + (active ? ", migration in progress)" : ")"));
        }
        if (active && previous != null && previousExists) {
            live.add(versionSchema(previous) + " (previous)");
        }
        if (baselineLive) {
            live.add("schema \"" + schema + "\" itself (the baseline's tables)");
        }
        if (live.isEmpty()) {
            return "no version schema of schema \"" + schema + "\" exists"
                    + (latest == null
                            ? " (no migration has been started)"
                            : " (the latest migration published none: started without version schemas?)");
        }
        return (live.size() == 1 ? "the version that exists is " : "the versions that exist are ")
                + String.join(" and ", live);
    }
}
