package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.model.Migration;
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
        return migration.versionSchemaIn(schema);
    }

    /** The version schema of a version: {@code <schema>_<version>}. */
    public static String name(String schema, String version) {
        return Migration.versionSchemaName(schema, version);
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
        boolean securityInvoker = context.catalog().serverVersion() >= 150000;
        for (VirtualTable table : context.schema().tables()) {
            String columns = table.columns().stream()
                    .map(c -> Sql.ident(c.physicalName()) + " AS " + Sql.ident(c.name()))
                    .collect(Collectors.joining(", "));
            String view = Sql.qualified(versionSchema, table.name());
            statements.add(
                    "CREATE VIEW " + view + (securityInvoker ? " WITH (security_invoker = true)" : "") + " AS SELECT "
                            + (columns.isEmpty() ? "" : columns) + " FROM " + context.qualified(table.physicalName()));
            statements.addAll(grants(context, table.physicalName(), view));
            if (!securityInvoker && context.catalog().rowSecurity(table.physicalName())) {
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
        for (CatalogQueries.Grant grant : context.catalog().tableGrants(table)) {
            grants.add("GRANT " + grant.privilege() + " ON " + view + " TO " + grantee(grant.grantee())
                    + (grant.grantable() ? " WITH GRANT OPTION" : ""));
        }
        return grants;
    }

    private static List<String> schemaUsage(ExecutionContext context, String versionSchema) throws SQLException {
        List<String> grants = new ArrayList<>();
        for (String role : context.catalog().schemaUsers()) {
            grants.add("GRANT USAGE ON SCHEMA " + versionSchema + " TO " + grantee(role));
        }
        return grants;
    }

    private static String grantee(String role) {
        return role == null ? "PUBLIC" : Sql.ident(role);
    }
}
