package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A trigger that fills one column from an SQL expression of the row, for the writes of one version.
 *
 * <p>Which version wrote a row is told by the writer's whole {@code search_path}: the new version's
 * connections are pinned to exactly its version schema. That test sits in the trigger's WHEN clause,
 * evaluated in the writer's session; the function itself runs with the target schema on its path, so
 * the migration's expression finds the schema's functions and types whoever writes (invariant 7).
 * The row's columns are plpgsql variables named as that version names them, so an expression reads
 * {@code name}, not {@code NEW.name}.
 */
final class ColumnTrigger {
    /** Whose writes the trigger handles. */
    enum Direction {
        /** Writes of the old version (any search_path but the new version schema): fills the new column. */
        UP("up"),
        /** Writes of the new version: fills the old column the new version no longer writes. */
        DOWN("down");

        private final String word;

        Direction(String word) {
            this.word = word;
        }
    }

    private final String schema;
    private final String table;
    private final String targetColumn;
    private final String expression;
    private final Map<String, String> variables;
    private final Direction direction;
    private final String name;

    /**
     * @param table the physical table
     * @param logicalColumn the column the trigger is for, as the migration names it
     * @param targetColumn the physical column the expression fills
     * @param variables the row as the writing version sees it: variable name to physical column
     */
    ColumnTrigger(
            String schema,
            String table,
            String logicalColumn,
            Direction direction,
            String targetColumn,
            String expression,
            Map<String, String> variables) {
        this.schema = schema;
        this.table = table;
        this.targetColumn = targetColumn;
        this.expression = expression;
        this.variables = Map.copyOf(variables);
        this.direction = direction;
        this.name = name(table, logicalColumn, direction);
    }

    static String name(String table, String column, Direction direction) {
        return TemporaryNames.of(direction.word, table, column);
    }

    /** The function and its trigger, in that order. */
    List<String> create(ExecutionContext context) throws SQLException {
        StringBuilder body = new StringBuilder("DECLARE\n");
        String qualifiedTable = Sql.qualified(schema, table);
        variables.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(v -> body.append("    ")
                .append(Sql.ident(v.getKey()))
                .append(' ')
                .append(qualifiedTable)
                .append('.')
                .append(Sql.ident(v.getValue()))
                .append("%TYPE := NEW.")
                .append(Sql.ident(v.getValue()))
                .append(";\n"));
        body.append("BEGIN\n    NEW.")
                .append(Sql.ident(targetColumn))
                .append(" := (")
                .append(expression)
                .append(");\n    RETURN NEW;\nEND;\n");
        String tag = dollarTag(body.toString());
        String function = "CREATE OR REPLACE FUNCTION " + Sql.qualified(schema, name) + "() RETURNS trigger"
                + " LANGUAGE plpgsql SET search_path = " + Sql.ident(schema) + ", pg_catalog, pg_temp AS " + tag
                + "\n" + body + tag;
        String test = direction == Direction.UP ? "IS DISTINCT FROM" : "=";
        String trigger =
                "CREATE OR REPLACE TRIGGER " + Sql.ident(name) + " BEFORE INSERT OR UPDATE ON " + qualifiedTable
                        + " FOR EACH ROW WHEN (current_setting('search_path') " + test + " "
                        + Sql.literal(searchPathOf(context, context.versionSchema())) + ") EXECUTE FUNCTION "
                        + Sql.qualified(schema, name) + "()";
        return List.of(function, trigger);
    }

    /** Trigger first: at no moment may a trigger exist whose function does not. */
    static List<String> drop(String schema, String table, String logicalColumn, Direction direction) {
        String name = name(table, logicalColumn, direction);
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
