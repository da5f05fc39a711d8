package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.backfill.Backfill;
import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.internal.sql.SqlExpressions;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trigger that fills one column from an SQL expression of the row, for the writes of one version.
 *
 * <p>Which version wrote a row is told by the writer's whole {@code search_path}: the new version's
 * connections are pinned to exactly its version schema. That test sits in the trigger's WHEN clause,
 * evaluated in the writer's session; the function itself runs with the target schema on its path, so
 * the migration's expression finds the schema's functions and types whoever writes (invariant 7),
 * unless the expression can only mean built-ins, whatever the path.
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

    /** A plpgsql variable of the trigger function: the row's value of a physical column, of a type. */
    record Variable(String column, String type) {}

    /**
     * One expression of a chain. The first reads the row; each later one reads the value the one
     * before computed, under the names the column had at that point of the migration.
     */
    record Step(String expression, List<String> rebound) {}

    private final String schema;
    private final String table;
    private final String targetColumn;
    private final List<Step> steps;
    private final String stepType;
    private final Map<String, Variable> variables;
    private final Direction direction;
    private final String name;

    /**
     * @param table the physical table
     * @param logicalColumn the column the trigger is for, as the migration names it
     * @param targetColumn the physical column the expression fills
     * @param variables the row as the writing version sees it: variable name to column and type
     */
    ColumnTrigger(
            ExecutionContext context,
            String table,
            String logicalColumn,
            Direction direction,
            String targetColumn,
            String expression,
            Map<String, Variable> variables)
            throws SQLException {
        this(
                context,
                table,
                logicalColumn,
                direction,
                targetColumn,
                List.of(new Step(expression, List.of())),
                null,
                variables);
    }

    /**
     * A trigger whose value is computed by a chain of expressions, each over the one before: the
     * rewrites of one column by several operations of a migration, composed.
     *
     * @param stepType the type of the values between two steps
     */
    ColumnTrigger(
            ExecutionContext context,
            String table,
            String logicalColumn,
            Direction direction,
            String targetColumn,
            List<Step> steps,
            String stepType,
            Map<String, Variable> variables)
            throws SQLException {
        this.schema = context.schemaName();
        this.table = table;
        this.targetColumn = targetColumn;
        this.steps = List.copyOf(steps);
        this.stepType = stepType;
        // Only the columns the expressions read: each declared variable is read from the row on every
        // write, and a variable bound to a column another operation renames at its complete would break.
        this.variables = variables.entrySet().stream()
                .filter(v -> steps.stream().anyMatch(step -> SqlExpressions.mentions(step.expression(), v.getKey())))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        this.direction = direction;
        this.name = name(context, table, logicalColumn, direction);
    }

    /**
     * {@code _pgroll_up_<table oid>_<column>}: named after the table's OID, not its name, because
     * rename_table renames the table at complete while the trigger still has to be found; and a
     * function's name is unique across the schema, so two tables must never share one.
     */
    static String name(ExecutionContext context, String table, String column, Direction direction) throws SQLException {
        return TemporaryNames.of(
                direction.word, String.valueOf(context.catalog().oid(table)), column);
    }

    /**
     * The old version's row: the table's physical columns, the copies of this migration left out; a
     * column renamed earlier in the migration is also readable under its new name, which is how the
     * migration names it (an {@code up} left out reads the column by that name).
     */
    static Map<String, Variable> oldVersionRow(ExecutionContext context, String table) throws SQLException {
        Map<String, Variable> row = new java.util.LinkedHashMap<>();
        context.readCatalog().table(table).ifPresent(t -> t.columns().values().stream()
                .filter(c -> !c.name().startsWith(VirtualSchema.TEMPORARY_PREFIX))
                .forEach(c -> row.put(c.name(), new Variable(c.name(), c.type()))));
        context.before().tables().stream()
                .filter(t -> t.physicalName().equals(table))
                .flatMap(t -> t.columns().stream())
                .filter(c -> row.containsKey(c.physicalName()))
                .forEach(c -> row.putIfAbsent(c.name(), row.get(c.physicalName())));
        return row;
    }

    /**
     * The new version's row: the table as the migration leaves it when every operation has applied
     * (a down expression may read a column another operation of the migration changes).
     */
    static Map<String, Variable> newVersionRow(ExecutionContext context, String table) {
        VirtualTable shape = context.newVersion().tables().stream()
                .filter(t -> t.physicalName().equals(table))
                .findFirst()
                .orElseGet(() -> context.schema().tables().stream()
                        .filter(t -> t.physicalName().equals(table))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("table " + table + " is not in the migration")));
        Map<String, Variable> row = new java.util.LinkedHashMap<>();
        for (VirtualColumn c : shape.columns()) {
            row.put(c.name(), new Variable(c.physicalName(), declarableType(c.type())));
        }
        return row;
    }

    /** serial, bigserial and smallserial are column shorthands, not types a variable can have. */
    static String declarableType(String type) {
        return switch (type.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "serial", "serial4" -> "integer";
            case "bigserial", "serial8" -> "bigint";
            case "smallserial", "serial2" -> "smallint";
            default -> type;
        };
    }

    /** The function and its trigger, in that order. */
    List<String> create(ExecutionContext context) throws SQLException {
        StringBuilder body = new StringBuilder("DECLARE\n");
        String qualifiedTable = Sql.qualified(schema, table);
        // Declared with the columns' types, not %TYPE: the function must not depend on the table's name,
        // which rename_table changes at complete.
        variables.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(v -> body.append("    ")
                .append(Sql.ident(v.getKey()))
                .append(' ')
                .append(v.getValue().type())
                .append(" := NEW.")
                .append(Sql.ident(v.getValue().column()))
                .append(";\n"));
        String value = Sql.ident(TemporaryNames.PREFIX + "value");
        if (steps.size() > 1) {
            body.append("    ").append(value).append(' ').append(stepType).append(";\n");
        }
        body.append("BEGIN\n");
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String target = i == steps.size() - 1 ? "NEW." + Sql.ident(targetColumn) : value;
            String assignment = target + " := (" + step.expression() + ");";
            if (i == 0) {
                body.append("    ").append(assignment).append('\n');
                continue;
            }
            // a block of its own, whose variables hide the row's: the step reads the value computed so far
            body.append("    DECLARE\n");
            for (String name : step.rebound()) {
                body.append("        ")
                        .append(Sql.ident(name))
                        .append(' ')
                        .append(stepType)
                        .append(" := ")
                        .append(value)
                        .append(";\n");
            }
            body.append("    BEGIN\n        ").append(assignment).append("\n    END;\n");
        }
        body.append("    RETURN NEW;\nEND;\n");
        String tag = dollarTag(body.toString());
        String function = "CREATE OR REPLACE FUNCTION " + Sql.qualified(schema, name) + "() RETURNS trigger"
                + " LANGUAGE plpgsql" + pinnedPath(context) + " AS " + tag + "\n" + body + tag;
        String path = Sql.literal(searchPathOf(context, context.versionSchema()));
        // A backfill that computes the new columns in its own statement says so, and the up triggers stand
        // by: that test first, so that for each of its rows the condition stops there.
        String when = direction == Direction.UP
                ? "current_setting(" + Sql.literal(Backfill.COMPUTING_SETTING) + ", true) IS DISTINCT FROM 'on'"
                        + " AND current_setting('search_path') IS DISTINCT FROM " + path
                : "current_setting('search_path') = " + path;
        String trigger = "CREATE OR REPLACE TRIGGER " + Sql.ident(name) + " BEFORE INSERT OR UPDATE ON "
                + qualifiedTable + " FOR EACH ROW WHEN (" + when + ") EXECUTE FUNCTION "
                + Sql.qualified(schema, name) + "()";
        return List.of(function, trigger);
    }

    /**
     * The function's own {@code search_path}, so that the expressions find the target schema's
     * objects whoever writes; left out when they name none but {@code pg_catalog}'s and read the same
     * on every path, because setting it on each call costs a bulk write through the trigger about a
     * sixth of its time.
     */
    private String pinnedPath(ExecutionContext context) throws SQLException {
        List<String> fragments = new ArrayList<>();
        steps.forEach(step -> fragments.add(step.expression()));
        variables.values().forEach(v -> fragments.add(v.type()));
        if (stepType != null) {
            fragments.add(stepType);
        }
        return context.catalog().readsTheSameOnEveryPath(fragments)
                ? ""
                : " SET search_path = " + Sql.ident(schema) + ", pg_catalog, pg_temp";
    }

    /** Trigger first: at no moment may a trigger exist whose function does not. */
    static List<String> drop(ExecutionContext context, String table, String logicalColumn, Direction direction)
            throws SQLException {
        String name = name(context, table, logicalColumn, direction);
        return List.of(
                "DROP TRIGGER IF EXISTS " + Sql.ident(name) + " ON " + context.qualified(table),
                "DROP FUNCTION IF EXISTS " + Sql.qualified(context.schemaName(), name) + "()");
    }

    /** What {@code current_setting('search_path')} shows in a session pinned to the schema: quoted only if needed. */
    static String searchPathOf(ExecutionContext context, String versionSchema) throws SQLException {
        return context.catalog().quotedAsServerDoes(versionSchema);
    }

    private static String dollarTag(String text) {
        String tag = "$pgroll$";
        for (int i = 0; text.contains(tag); i++) {
            tag = "$pgroll" + i + "$";
        }
        return tag;
    }

    /**
     * Drops the triggers (and their functions) that translate the old version's writes, {@code
     * _pgroll_up_...}, triggers first. The new version's ({@code down}) stay until each operation's
     * complete drops the original columns they fill, in the same transaction.
     */
    static List<String> dropAllUp(ExecutionContext context) throws SQLException {
        String prefix = TemporaryNames.PREFIX + Direction.UP.word + "_";
        List<String> statements = new ArrayList<>();
        for (CatalogQueries.TableTrigger trigger : context.catalog().triggersNamed(prefix)) {
            statements.add("DROP TRIGGER IF EXISTS " + Sql.ident(trigger.trigger()) + " ON "
                    + context.qualified(trigger.table()));
        }
        for (String function : context.catalog().triggerFunctionsNamed(prefix)) {
            statements.add("DROP FUNCTION IF EXISTS " + context.qualified(function) + "()");
        }
        return statements;
    }
}
