package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.model.Migration;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The version schemas: {@code <schema>_<version>}, one auto-updatable view per table of that version,
 * each carrying its base table's grants, and USAGE on the schema for whoever had it on the target.
 */
public final class VersionSchemas {
    private VersionSchemas() {}

    /** Longest name PostgreSQL keeps whole; a longer one would be truncated and no longer match the triggers. */
    public static final int MAX_IDENTIFIER_BYTES = 63;

    /** The version schema of a migration: {@code <schema>_<version_schema>}, the migration's name by default. */
    public static String of(String schema, Migration migration) {
        return name(schema, migration.effectiveVersionSchema());
    }

    /** The version schema of a version: {@code <schema>_<version>}. */
    public static String name(String schema, String version) {
        return schema + "_" + version;
    }

    /**
     * Creates (or recreates, after a crash) the version schema from the virtual schema. One transaction:
     * the schema appears whole or not at all. Creating a view takes only ACCESS SHARE on its table.
     */
    public static void publish(ExecutionContext context, String versionSchema) throws SQLException {
        List<String> statements = new ArrayList<>();
        String vs = Sql.ident(versionSchema);
        statements.add("DROP SCHEMA IF EXISTS " + vs + " CASCADE");
        statements.add("CREATE SCHEMA " + vs);
        boolean securityInvoker = serverVersion(context) >= 150000;
        for (VirtualTable table : context.schema().tables()) {
            String columns = table.columns().stream()
                    .map(c -> Sql.ident(c.physicalName()) + " AS " + Sql.ident(c.name()))
                    .collect(Collectors.joining(", "));
            String view = Sql.qualified(versionSchema, table.name());
            statements.add(
                    "CREATE VIEW " + view + (securityInvoker ? " WITH (security_invoker = true)" : "") + " AS SELECT "
                            + (columns.isEmpty() ? "" : columns) + " FROM " + context.qualified(table.physicalName()));
            statements.addAll(grants(context, table.physicalName(), view));
            if (!securityInvoker && rowSecurity(context, table.physicalName())) {
                context.listener()
                        .notice("table " + table.name() + " has row-level security, which views on PostgreSQL 14 "
                                + "cannot apply (they have no security_invoker): through " + versionSchema
                                + " every role sees the rows the migrating role sees");
            }
        }
        statements.addAll(schemaUsage(context, vs));
        context.executor().inTransaction(statements);
    }

    public static void drop(ExecutionContext context, String versionSchema) throws SQLException {
        context.executor().inTransaction("DROP SCHEMA IF EXISTS " + Sql.ident(versionSchema) + " CASCADE");
    }

    private static List<String> grants(ExecutionContext context, String table, String view) throws SQLException {
        List<String> grants = new ArrayList<>();
        try (PreparedStatement ps = context.connection()
                .prepareStatement(
                        """
                        SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END,
                               a.privilege_type, a.is_grantable
                        FROM pg_class c, aclexplode(c.relacl) a
                        WHERE c.oid = to_regclass(quote_ident(?) || '.' || quote_ident(?))
                          AND a.privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')
                          AND a.grantee <> c.relowner
                        UNION
                        -- the table's owner, when another role migrates: owners hold their rights implicitly
                        SELECT pg_get_userbyid(c.relowner), p.privilege, false
                        FROM pg_class c, unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p(privilege)
                        WHERE c.oid = to_regclass(quote_ident(?) || '.' || quote_ident(?))
                          AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
                        """)) {
            ps.setString(1, context.schemaName());
            ps.setString(2, table);
            ps.setString(3, context.schemaName());
            ps.setString(4, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String grantee = rs.getString(1) == null ? "PUBLIC" : Sql.ident(rs.getString(1));
                    grants.add("GRANT " + rs.getString(2) + " ON " + view + " TO " + grantee
                            + (rs.getBoolean(3) ? " WITH GRANT OPTION" : ""));
                }
            }
        }
        return grants;
    }

    private static List<String> schemaUsage(ExecutionContext context, String versionSchema) throws SQLException {
        List<String> grants = new ArrayList<>();
        try (PreparedStatement ps = context.connection()
                .prepareStatement(
                        """
                        SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END
                        FROM pg_namespace n, aclexplode(n.nspacl) a
                        WHERE n.nspname = ? AND a.privilege_type = 'USAGE' AND a.grantee <> n.nspowner
                        UNION
                        SELECT pg_get_userbyid(n.nspowner) FROM pg_namespace n
                        WHERE n.nspname = ? AND n.nspowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
                        """)) {
            ps.setString(1, context.schemaName());
            ps.setString(2, context.schemaName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String grantee = rs.getString(1) == null ? "PUBLIC" : Sql.ident(rs.getString(1));
                    grants.add("GRANT USAGE ON SCHEMA " + versionSchema + " TO " + grantee);
                }
            }
        }
        return grants;
    }

    private static boolean rowSecurity(ExecutionContext context, String table) throws SQLException {
        try (PreparedStatement ps = context.connection()
                .prepareStatement("SELECT relrowsecurity FROM pg_class WHERE oid = "
                        + "to_regclass(quote_ident(?) || '.' || quote_ident(?))")) {
            ps.setString(1, context.schemaName());
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    static int serverVersion(ExecutionContext context) throws SQLException {
        try (PreparedStatement ps =
                        context.connection().prepareStatement("SELECT current_setting('server_version_num')::int");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
