package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A trigger that fills one column from an SQL expression of the row, for the writes of one direction.
 *
 * <p>Which version wrote a row is told by the writer's whole {@code search_path}: the new version's
 * connections are pinned to exactly its version schema. That test sits in the trigger's WHEN clause,
 * evaluated in the writer's session; the function itself runs with the target schema on its path, so
 * the migration's expression finds the schema's functions and types whoever writes (invariant 7).
 * The row's columns are plpgsql variables named as the columns, so expressions read {@code name}, not
 * {@code NEW.name}.
 */
final class ColumnTrigger {
    private final String schema;
    private final String table;
    private final String targetColumn;
    private final String expression;
    private final List<String> rowColumns;
    private final String name;

    /**
     * @param table the physical table
     * @param targetColumn the physical column the expression fills
     * @param rowColumns the physical columns the expression may read by name
     */
    ColumnTrigger(
            String schema,
            String table,
            String targetColumn,
            String expression,
            List<String> rowColumns,
            String logicalColumn) {
        this.schema = schema;
        this.table = table;
        this.targetColumn = targetColumn;
        this.expression = expression;
        this.rowColumns = List.copyOf(rowColumns);
        this.name = name(table, logicalColumn);
    }

    static String name(String table, String column) {
        return VirtualSchema.TEMPORARY_PREFIX + "trigger_" + table + "_" + column;
    }

    /** The statements that create the function and its trigger, for writes not from {@code versionSchema}. */
    List<String> create(ExecutionContext context) throws SQLException {
        String tag = dollarTag(expression);
        StringBuilder body = new StringBuilder("DECLARE\n");
        String qualifiedTable = Sql.qualified(schema, table);
        for (String column : rowColumns) {
            body.append("    ")
                    .append(Sql.ident(column))
                    .append(' ')
                    .append(qualifiedTable)
                    .append('.')
                    .append(Sql.ident(column))
                    .append("%TYPE := NEW.")
                    .append(Sql.ident(column))
                    .append(";\n");
        }
        body.append("BEGIN\n    NEW.")
                .append(Sql.ident(targetColumn))
                .append(" := (")
                .append(expression)
                .append(");\n    RETURN NEW;\nEND;\n");
        String function = "CREATE OR REPLACE FUNCTION " + Sql.qualified(schema, name) + "() RETURNS trigger"
                + " LANGUAGE plpgsql SET search_path = " + Sql.ident(schema) + ", pg_catalog, pg_temp AS " + tag
                + "\n" + body + tag;
        String trigger =
                "CREATE OR REPLACE TRIGGER " + Sql.ident(name) + " BEFORE INSERT OR UPDATE ON " + qualifiedTable
                        + " FOR EACH ROW WHEN (current_setting('search_path') IS DISTINCT FROM "
                        + Sql.literal(searchPathOf(context, context.versionSchema())) + ") EXECUTE FUNCTION "
                        + Sql.qualified(schema, name) + "()";
        return List.of(function, trigger);
    }

    /** Trigger first: at no moment may a trigger exist whose function does not. */
    List<String> drop() {
        return List.of(
                "DROP TRIGGER IF EXISTS " + Sql.ident(name) + " ON " + Sql.qualified(schema, table),
                "DROP FUNCTION IF EXISTS " + Sql.qualified(schema, name) + "()");
    }

    /** What {@code current_setting('search_path')} shows in a session pinned to the schema: quoted only if needed. */
    static String searchPathOf(ExecutionContext context, String versionSchema) throws SQLException {
        try (PreparedStatement ps = context.connection().prepareStatement("SELECT quote_ident(?)")) {
            ps.setString(1, versionSchema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static String dollarTag(String text) {
        String tag = "$pgroll$";
        for (int i = 0; text.contains(tag); i++) {
            tag = "$pgroll" + i + "$";
        }
        return tag;
    }
}
