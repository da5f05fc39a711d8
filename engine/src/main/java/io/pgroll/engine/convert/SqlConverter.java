package io.pgroll.engine.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgroll.engine.convert.SqlLexer.Statement;
import io.pgroll.engine.convert.TokenCursor.Unsupported;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationFormatException;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.engine.model.Operation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code convert}: SQL statements in, a migration's operations out, as pgroll converts them. The
 * statements it knows (CREATE TABLE, ALTER TABLE's column, constraint and rename actions, DROP TABLE,
 * CREATE and DROP INDEX) become operations; every other statement, and one with a clause no operation
 * expresses, becomes a {@code sql} operation of its own text (with a warning for the DDL it knows but
 * could not map). Expressions, types and defaults are kept exactly as written. What the SQL does not
 * say ({@code up} and {@code down} of a change that rewrites a column) is pgroll's placeholder, for the
 * author to write. No connection is needed.
 *
 * <p>Unlike pgroll, a constraint that {@code ALTER TABLE} adds to a table created earlier in the same
 * input goes into that {@code create_table} (as {@code pg_dump} writes primary and foreign keys), and a
 * column added with {@code NOT NULL} gets a placeholder {@code up} only without a default.
 */
public final class SqlConverter {
    /** What pgroll writes where the author must supply an expression. */
    public static final String PLACEHOLDER = "TODO: Implement SQL data migration";

    /** The column pgroll names where the SQL does not say which columns a change covers. */
    static final String PLACEHOLDER_COLUMN = "placeholder";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> STARTS_CONSTRAINT =
            List.of("constraint", "primary", "unique", "check", "foreign");

    private final String schema;
    /** The operations so far, each with the statements it stands for (a create_table also for the constraints added to it). */
    private final List<Converted> converted = new ArrayList<>();

    private final List<String> warnings = new ArrayList<>();
    /** The create_table operations of this input, by table name: later ALTER TABLEs add to them. */
    private final Map<String, Converted> created = new LinkedHashMap<>();
    /** What the statement being read makes: applied once the whole statement has been read. */
    private List<JsonNode> operations = new ArrayList<>();

    private List<Runnable> additions = new ArrayList<>();

    /** An operation and the statements it came from, which become its {@code sql} if the reader refuses it. */
    private record Converted(JsonNode operation, List<Statement> statements) {}

    private final TableDefinitions definitions = new TableDefinitions(this);

    private SqlConverter(String schema) {
        this.schema = schema;
    }

    /**
     * The operations and the warnings (one per statement left as SQL for a reason worth knowing, naming
     * its line).
     */
    public record Conversion(List<Operation> operations, List<String> warnings) {
        public Conversion {
            operations = List.copyOf(operations);
            warnings = List.copyOf(warnings);
        }

        /** The operations as a migration named {@code name}. */
        public Migration migration(String name) {
            return new Migration(name, null, operations);
        }
    }

    /**
     * Converts a script. {@code schema} is the schema the migration is for: names qualified with it
     * lose the qualifier, names qualified with another stay SQL.
     *
     * @throws IllegalArgumentException when a quote, dollar quote or comment is never closed
     */
    public static Conversion convert(String sql, String schema) {
        SqlConverter converter = new SqlConverter(schema);
        for (Statement statement : SqlLexer.split(sql)) {
            converter.statement(statement);
        }
        return converter.result();
    }

    private void statement(Statement statement) {
        TokenCursor in = new TokenCursor(statement);
        operations = new ArrayList<>();
        additions = new ArrayList<>();
        if (statement.tokens().get(0).kind() == SqlLexer.Kind.META) {
            warnings.add(
                    "line " + statement.line() + ": left out, a psql meta-command is not SQL: " + statement.text());
            return;
        }
        if (in.peek("set") || isSetConfig(statement)) {
            warnings.add("line " + statement.line() + ": left out, a session setting (as pg_dump writes) is no"
                    + " change to the schema, and would stay set in the migrator's session: "
                    + firstLine(statement.text()));
            return;
        }
        try {
            if (in.accept("create", "table")) {
                createTable(in);
            } else if (in.accept("create", "unique", "index")) {
                createIndex(in, true);
            } else if (in.accept("create", "index")) {
                createIndex(in, false);
            } else if (in.accept("alter", "table")) {
                alterTable(in, statement);
            } else if (in.accept("drop", "table")) {
                dropTable(in);
            } else if (in.accept("drop", "index")) {
                dropIndex(in);
            } else {
                raw(statement);
            }
        } catch (Unsupported e) {
            if (e.worthAWarning()) {
                warnings.add("line " + statement.line() + ": kept as a sql operation (" + e.getMessage() + "): "
                        + firstLine(statement.text()));
            }
            operations = new ArrayList<>();
            additions = new ArrayList<>();
            raw(statement);
        }
        additions.forEach(Runnable::run);
        for (JsonNode op : operations) {
            Converted c = new Converted(op, new ArrayList<>(List.of(statement)));
            converted.add(c);
            if (op.has("create_table")) {
                created.put(op.get("create_table").path("name").asText(), c);
            }
        }
    }

    /** {@code SELECT [pg_catalog.]set_config(...)}, as pg_dump sets the search path. */
    private static boolean isSetConfig(Statement statement) {
        List<SqlLexer.Token> tokens = statement.tokens();
        return tokens.get(0).is("select")
                && tokens.stream().limit(4).anyMatch(t -> t.is("set_config"))
                && tokens.stream().noneMatch(t -> t.is("from"));
    }

    private void raw(Statement statement) {
        operations.add(rawSql(statement));
    }

    private static ObjectNode rawSql(Statement statement) {
        return operation("sql", NODES.objectNode().put("up", statement.text()));
    }

    // ---- CREATE TABLE ----

    private void createTable(TokenCursor in) {
        in.refuse("has no create_table counterpart", "if");
        String table = table(in);
        in.expectSymbol("(");
        ArrayNode columns = NODES.arrayNode();
        ArrayNode constraints = NODES.arrayNode();
        if (!in.acceptSymbol(")")) {
            do {
                if (in.peek("constraint")
                        || in.peek("primary")
                        || in.peek("unique")
                        || in.peek("check")
                        || in.peek("foreign")) {
                    constraints.add(definitions.tableConstraint(in, table));
                } else {
                    in.refuse("in CREATE TABLE has no create_table counterpart", "like", "exclude");
                    columns.add(definitions.column(in, table));
                }
            } while (in.acceptSymbol(","));
            in.expectSymbol(")");
        }
        in.expectEnd();
        ObjectNode op = NODES.objectNode().put("name", table);
        op.set("columns", columns);
        TableDefinitions.moveSimplePrimaryKeys(columns, constraints);
        if (!constraints.isEmpty()) {
            op.set("constraints", constraints);
        }
        operations.add(operation("create_table", op));
    }

    /**
     * The columns a REFERENCES names, or without a list the primary key of the table it names, when
     * this input created that table (as Hibernate's schema export writes it).
     */
    List<String> referencedColumns(TokenCursor in, String table) {
        if (in.peekSymbol("(")) {
            return in.identifierList();
        }
        Converted target = created.get(table);
        List<String> key = new ArrayList<>();
        if (target != null) {
            JsonNode body = target.operation().get("create_table");
            body.path("columns").forEach(c -> {
                if (c.path("pk").asBoolean()) {
                    key.add(c.path("name").asText());
                }
            });
            body.path("constraints").forEach(c -> {
                if (c.path("type").asText().equals("primary_key")) {
                    c.path("columns").forEach(name -> key.add(name.asText()));
                }
            });
        }
        if (key.isEmpty()) {
            throw new Unsupported("REFERENCES " + table + " without columns means its primary key, which only the"
                    + " catalog knows");
        }
        return key;
    }

    // ---- ALTER TABLE ----

    private void alterTable(TokenCursor in, Statement statement) {
        in.accept("if", "exists");
        in.accept("only");
        String table = table(in);
        if (in.accept("rename", "to")) {
            String to = in.identifier();
            in.expectEnd();
            operations.add(operation(
                    "rename_table", NODES.objectNode().put("from", table).put("to", to)));
            return;
        }
        do {
            if (created.containsKey(table) && !(in.peek("add") && STARTS_CONSTRAINT.contains(in.peekWordAt(1)))) {
                // a table of this very migration has no version to keep: its changes can run as written
                throw new Unsupported(table + " is created by this migration", false);
            }
            alterAction(in, statement, table);
        } while (in.acceptSymbol(","));
        in.expectEnd();
    }

    private void alterAction(TokenCursor in, Statement statement, String table) {
        if (in.accept("rename", "constraint")) {
            String from = in.identifier();
            in.expect("to");
            operations.add(operation(
                    "rename_constraint",
                    NODES.objectNode().put("table", table).put("from", from).put("to", in.identifier())));
        } else if (in.accept("rename")) {
            in.accept("column");
            String from = in.identifier();
            in.expect("to");
            operations.add(operation(
                    "rename_column",
                    NODES.objectNode().put("table", table).put("from", from).put("to", in.identifier())));
        } else if (in.peek("add") && STARTS_CONSTRAINT.stream().anyMatch(word -> in.peekAt(1, word))) {
            in.expect("add");
            addConstraint(in, statement, table);
        } else if (in.accept("add")) {
            in.accept("column");
            in.refuse("has no add_column counterpart", "if");
            ObjectNode column = definitions.column(in, table);
            ObjectNode op = NODES.objectNode().put("table", table);
            op.set("column", column);
            if (column.path("nullable").isMissingNode() && !column.has("default") && !column.has("generated")) {
                op.put("up", PLACEHOLDER);
            }
            operations.add(operation("add_column", op));
        } else if (in.accept("drop", "constraint")) {
            in.accept("if", "exists");
            String name = in.identifier();
            in.accept("restrict");
            in.refuse("drops what depends on the constraint, which no operation does", "cascade");
            operations.add(operation(
                    "drop_multicolumn_constraint",
                    NODES.objectNode()
                            .put("table", table)
                            .put("name", name)
                            .<ObjectNode>set("up", placeholderMap(List.of(PLACEHOLDER_COLUMN)))
                            .set("down", placeholderMap(List.of(PLACEHOLDER_COLUMN)))));
        } else if (in.accept("drop")) {
            in.accept("column");
            in.refuse("has no drop_column counterpart", "if");
            String column = in.identifier();
            in.accept("restrict");
            in.refuse("drops what depends on the column, which no operation does", "cascade");
            operations.add(operation(
                    "drop_column",
                    NODES.objectNode().put("table", table).put("column", column).put("down", PLACEHOLDER)));
        } else if (in.accept("alter")) {
            in.accept("column");
            alterColumn(in, table, in.identifier());
        } else {
            throw new Unsupported("this ALTER TABLE action has no operation");
        }
    }

    private void alterColumn(TokenCursor in, String table, String column) {
        ObjectNode op = NODES.objectNode().put("table", table).put("column", column);
        if (in.accept("set", "not", "null")) {
            op.put("nullable", false).put("up", PLACEHOLDER).put("down", PLACEHOLDER);
        } else if (in.accept("drop", "not", "null")) {
            op.put("nullable", true).put("up", PLACEHOLDER).put("down", PLACEHOLDER);
        } else if (in.accept("set", "default")) {
            String value = in.textUntil(Set.of());
            op.put("default", value);
        } else if (in.accept("drop", "default")) {
            op.putNull("default");
        } else if (in.accept("set", "data", "type") || in.accept("type")) {
            op.put("type", in.textUntil(Set.of("using", "collate")));
            in.refuse("has no alter_column counterpart", "collate");
            op.put("up", in.accept("using") ? in.textUntil(Set.of()) : PLACEHOLDER)
                    .put("down", PLACEHOLDER);
        } else {
            throw new Unsupported("this ALTER COLUMN action has no operation");
        }
        operations.add(operation("alter_column", op));
    }

    /**
     * {@code ADD [CONSTRAINT name] ...}: into the create_table of a table this input created, otherwise a
     * create_constraint whose per-column {@code up} and {@code down} are placeholders.
     */
    private void addConstraint(TokenCursor in, Statement statement, String table) {
        ObjectNode constraint = definitions.tableConstraint(in, table);
        if (in.peek("using")) {
            throw new Unsupported("ADD CONSTRAINT ... USING INDEX has no operation");
        }
        boolean notValid = in.accept("not", "valid");
        Converted createTable = created.get(table);
        String type = constraint.path("type").asText();
        String referenced = constraint.path("references").path("table").asText(null);
        if (createTable != null && referenced != null && createdAfter(referenced, table)) {
            // the create_table would name a table not created yet; the new table is nobody's yet: SQL is safe
            throw new Unsupported("the foreign key names " + referenced + ", created after " + table, false);
        }
        if (createTable != null) {
            if (notValid) {
                throw new Unsupported(table + " is created by this migration", false);
            }
            constraint.remove("unnamed");
            additions.add(() -> {
                ObjectNode body = (ObjectNode) createTable.operation().get("create_table");
                if (type.equals("primary_key")) {
                    TableDefinitions.notNull(body.path("columns"), constraint.path("columns"));
                }
                ArrayNode constraints =
                        body.has("constraints") ? (ArrayNode) body.get("constraints") : body.putArray("constraints");
                constraints.add(constraint);
                createTable.statements().add(statement);
            });
            return;
        }
        if (notValid) {
            throw new Unsupported("NOT VALID: create_constraint always validates, without blocking writes");
        }
        if (type.equals("primary_key") || constraint.has("deferrable") || constraint.has("initially_deferred")) {
            throw new Unsupported("this constraint has no create_constraint counterpart");
        }
        ObjectNode op = NODES.objectNode()
                .put("table", table)
                .put("name", constraint.path("name").asText())
                .put("type", type);
        List<String> columns = new ArrayList<>();
        constraint.path("columns").forEach(c -> columns.add(c.asText()));
        if (type.equals("check")) {
            op.put("check", constraint.path("check").asText());
            columns.add(PLACEHOLDER_COLUMN);
        }
        ArrayNode names = NODES.arrayNode();
        columns.forEach(names::add);
        op.set("columns", names);
        if (constraint.has("no_inherit")) {
            op.put("no_inherit", true);
        }
        if (constraint.has("references")) {
            op.set("references", constraint.get("references"));
        }
        op.set("up", placeholderMap(columns));
        op.set("down", placeholderMap(columns));
        operations.add(operation("create_constraint", op));
    }

    /** Whether this input creates {@code table} after {@code than}. */
    private boolean createdAfter(String table, String than) {
        List<String> order = new ArrayList<>(created.keySet());
        return order.indexOf(table) > order.indexOf(than);
    }

    private static ObjectNode placeholderMap(List<String> columns) {
        ObjectNode map = NODES.objectNode();
        columns.forEach(c -> map.put(c, PLACEHOLDER));
        return map;
    }

    // ---- DROP, CREATE INDEX ----

    private void dropTable(TokenCursor in) {
        in.accept("if", "exists");
        String table = table(in);
        if (in.peekSymbol(",")) {
            throw new Unsupported("several tables in one DROP TABLE");
        }
        in.accept("restrict");
        in.refuse("drops what depends on the table, which no operation does", "cascade");
        in.expectEnd();
        operations.add(operation("drop_table", NODES.objectNode().put("name", table)));
    }

    private void dropIndex(TokenCursor in) {
        in.accept("concurrently");
        in.accept("if", "exists");
        String index = table(in);
        if (in.peekSymbol(",")) {
            throw new Unsupported("several indexes in one DROP INDEX");
        }
        in.accept("restrict");
        in.refuse("drops what depends on the index, which no operation does", "cascade");
        in.expectEnd();
        operations.add(operation("drop_index", NODES.objectNode().put("name", index)));
    }

    private void createIndex(TokenCursor in, boolean unique) {
        in.accept("concurrently");
        in.accept("if", "not", "exists");
        if (in.peek("on")) {
            throw new Unsupported("an index without a name");
        }
        String name = in.identifier();
        in.expect("on");
        in.refuse("has no create_index counterpart", "only");
        String table = table(in);
        ObjectNode op = NODES.objectNode().put("name", name).put("table", table);
        if (in.accept("using")) {
            op.put("method", in.identifier());
        }
        in.expectSymbol("(");
        ArrayNode columns = op.putArray("columns");
        do {
            columns.add(indexColumn(in));
        } while (in.acceptSymbol(","));
        in.expectSymbol(")");
        in.refuse("has no create_index counterpart", "include", "nulls", "tablespace");
        if (in.accept("with")) {
            op.put("storage_parameters", in.parenthesized());
        }
        in.refuse("has no create_index counterpart", "tablespace");
        if (in.accept("where")) {
            op.put("predicate", in.textUntil(Set.of()));
        }
        in.expectEnd();
        if (unique) {
            op.put("unique", true);
        }
        operations.add(operation("create_index", op));
    }

    private static ObjectNode indexColumn(TokenCursor in) {
        if (in.peekSymbol("(")) {
            throw new Unsupported("an index on an expression");
        }
        ObjectNode column = NODES.objectNode().put("column", in.identifier());
        if (in.peekSymbol("(")) {
            throw new Unsupported("an index on an expression");
        }
        if (in.accept("collate")) {
            column.put("collate", in.identifier());
        }
        if (!in.peek("asc") && !in.peek("desc") && !in.peek("nulls") && !in.peekSymbol(",") && !in.peekSymbol(")")) {
            ObjectNode opclass = column.putObject("opclass").put("name", in.identifier());
            ArrayNode params = opclass.putArray("params");
            if (in.peekSymbol("(")) {
                params.add(in.parenthesized());
            }
        }
        if (in.accept("asc")) {
            column.put("sort", "ASC");
        } else if (in.accept("desc")) {
            column.put("sort", "DESC");
        }
        if (in.accept("nulls", "first")) {
            column.put("nulls", "FIRST");
        } else if (in.accept("nulls", "last")) {
            column.put("nulls", "LAST");
        }
        return column;
    }

    /** A table's name: qualified with the migration's schema or not at all. */
    String table(TokenCursor in) {
        List<String> name = in.qualifiedName();
        if (name.size() == 2 && name.get(0).equals(schema)) {
            return name.get(1);
        }
        if (name.size() != 1) {
            throw new Unsupported(String.join(".", name) + " is not in schema \"" + schema + "\", the migration's");
        }
        return name.get(0);
    }

    // ---- result ----

    private static ObjectNode operation(String kind, ObjectNode body) {
        return NODES.objectNode().set(kind, body);
    }

    /**
     * Each operation read back by the migration reader. One it refuses (a combination of options it does
     * not take) is kept as the SQL it came from, with the reader's reason, and so are the other
     * operations of that SQL, so that no statement is both converted and run as written.
     */
    private Conversion result() {
        IdentityHashMap<Statement, String> refused = new IdentityHashMap<>();
        for (Converted c : converted) {
            try {
                readOperation(c.operation());
            } catch (MigrationFormatException e) {
                c.statements().forEach(statement -> refused.put(statement, e.getMessage()));
            }
        }
        List<Operation> read = new ArrayList<>();
        Set<Statement> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Converted c : converted) {
            if (c.statements().stream().noneMatch(refused::containsKey)) {
                read.addAll(readOperation(c.operation()));
                continue;
            }
            for (Statement statement : c.statements()) {
                if (kept.add(statement)) {
                    warnings.add("line " + statement.line() + ": kept as a sql operation ("
                            + refused.getOrDefault(statement, "it goes with one the reader refused") + "): "
                            + firstLine(statement.text()));
                    read.addAll(readOperation(rawSql(statement)));
                }
            }
        }
        return new Conversion(read, warnings);
    }

    private static List<Operation> readOperation(JsonNode operation) {
        ObjectNode document = NODES.objectNode();
        document.putArray("operations").add(operation);
        return MigrationReader.readDocument(document.toString(), "the conversion")
                .operations();
    }

    private static String firstLine(String text) {
        int eol = text.indexOf('\n');
        return eol < 0 ? text : text.substring(0, eol) + " ...";
    }
}
