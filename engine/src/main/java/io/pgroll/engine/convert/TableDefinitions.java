package io.pgroll.engine.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgroll.engine.convert.TokenCursor.Unsupported;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What CREATE TABLE and ALTER TABLE ... ADD define: a column with its options, a table constraint, a
 * reference and its actions, each as the JSON of pgroll's format. Names of tables come from the
 * converter, which knows the migration's schema and the tables created above.
 */
final class TableDefinitions {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> COLUMN_CONSTRAINT_WORDS = Set.of(
            "constraint",
            "not",
            "null",
            "default",
            "primary",
            "unique",
            "check",
            "references",
            "generated",
            "collate",
            "deferrable",
            "initially",
            "using",
            "storage",
            "compression");

    private final SqlConverter names;

    TableDefinitions(SqlConverter names) {
        this.names = names;
    }

    /**
     * An unnamed PRIMARY KEY (a, b) of CREATE TABLE is the columns' own {@code pk}, as pgroll writes it;
     * a named one stays a constraint, its columns NOT NULL as a primary key makes them.
     */
    static void moveSimplePrimaryKeys(ArrayNode columns, ArrayNode constraints) {
        for (int i = 0; i < constraints.size(); i++) {
            JsonNode c = constraints.get(i);
            if (!c.path("type").asText().equals("primary_key")) {
                continue;
            }
            if (c.has("deferrable") || !c.has("unnamed")) {
                notNull(columns, c.path("columns"));
                continue;
            }
            for (JsonNode name : c.path("columns")) {
                for (JsonNode column : columns) {
                    if (column.path("name").asText().equals(name.asText())) {
                        ((ObjectNode) column).put("pk", true).remove("nullable");
                    }
                }
            }
            constraints.remove(i--);
        }
        constraints.forEach(c -> ((ObjectNode) c).remove("unnamed"));
    }

    static void notNull(JsonNode columns, JsonNode names) {
        for (JsonNode name : names) {
            for (JsonNode column : columns) {
                if (column.path("name").asText().equals(name.asText())) {
                    ((ObjectNode) column).remove("nullable");
                }
            }
        }
    }

    ObjectNode column(TokenCursor in, String table) {
        String name = in.identifier();
        String type = in.textUntil(COLUMN_CONSTRAINT_WORDS);
        ObjectNode column = NODES.objectNode().put("name", name).put("type", type);
        boolean nullable = true;
        while (!in.atEnd() && !in.peekSymbol(",") && !in.peekSymbol(")")) {
            String constraintName = in.accept("constraint") ? in.identifier() : null;
            if (in.accept("not", "null")) {
                nullable = false;
            } else if (in.accept("null")) {
                nullable = true;
            } else if (in.accept("default")) {
                String value = in.textUntil(COLUMN_CONSTRAINT_WORDS);
                if (!value.equalsIgnoreCase("null")) {
                    column.put("default", value);
                }
            } else if (in.accept("primary", "key")) {
                column.put("pk", true);
                nullable = false;
            } else if (in.accept("unique")) {
                column.put("unique", true);
            } else if (in.accept("check")) {
                ObjectNode check = NODES.objectNode()
                        .put("name", constraintName != null ? constraintName : table + "_" + name + "_check")
                        .put("constraint", in.parenthesized());
                if (in.accept("no", "inherit")) {
                    check.put("no_inherit", true);
                }
                column.set("check", check);
            } else if (in.accept("references")) {
                column.set(
                        "references",
                        columnReference(in, constraintName != null ? constraintName : table + "_" + name + "_fkey"));
            } else if (in.accept("generated")) {
                nullable = false;
                column.set("generated", generated(in));
            } else {
                throw new Unsupported("the column option at \"" + name + "\" has no create_table counterpart");
            }
            if (in.peek("deferrable") || in.peek("initially")) {
                throw new Unsupported(
                        "a deferrable column constraint has no counterpart; write it as a table" + " constraint");
            }
        }
        if (nullable && !column.path("pk").asBoolean()) {
            column.put("nullable", true);
        }
        return column;
    }

    private static ObjectNode generated(TokenCursor in) {
        ObjectNode generated = NODES.objectNode();
        String when;
        if (in.accept("always")) {
            when = "ALWAYS";
        } else {
            in.expect("by", "default");
            when = "BY DEFAULT";
        }
        in.expect("as");
        if (in.accept("identity")) {
            ObjectNode identity = NODES.objectNode().put("user_specified_values", when);
            if (in.peekSymbol("(")) {
                identity.put("sequence_options", in.parenthesized());
            }
            generated.set("identity", identity);
        } else {
            if (!when.equals("ALWAYS")) {
                throw new Unsupported("GENERATED BY DEFAULT AS (expression) is not PostgreSQL");
            }
            generated.put("expression", in.parenthesized());
            in.expect("stored");
        }
        return generated;
    }

    /** {@code REFERENCES t [(c)] [MATCH m] [ON DELETE a] [ON UPDATE a]} of one column. */
    private ObjectNode columnReference(TokenCursor in, String name) {
        ObjectNode reference = NODES.objectNode().put("name", name).put("table", names.table(in));
        List<String> columns =
                names.referencedColumns(in, reference.path("table").asText());
        if (columns.size() != 1) {
            throw new Unsupported("a column's REFERENCES names one column");
        }
        reference.put("column", columns.get(0));
        referentialActions(in, reference);
        return reference;
    }

    private static void referentialActions(TokenCursor in, ObjectNode reference) {
        while (true) {
            if (in.accept("match")) {
                reference.put("match_type", in.identifier().toUpperCase(Locale.ROOT));
            } else if (in.accept("on", "delete")) {
                reference.put("on_delete", action(in));
                if (in.peekSymbol("(")) {
                    ArrayNode columns = NODES.arrayNode();
                    in.identifierList().forEach(columns::add);
                    reference.set("on_delete_set_columns", columns);
                }
            } else if (in.accept("on", "update")) {
                reference.put("on_update", action(in));
            } else {
                return;
            }
        }
    }

    private static String action(TokenCursor in) {
        if (in.accept("no", "action")) {
            return "NO ACTION";
        }
        if (in.accept("set", "null")) {
            return "SET NULL";
        }
        if (in.accept("set", "default")) {
            return "SET DEFAULT";
        }
        if (in.accept("cascade")) {
            return "CASCADE";
        }
        in.expect("restrict");
        return "RESTRICT";
    }

    /** A table constraint of CREATE TABLE, unnamed ones named as PostgreSQL names them. */
    ObjectNode tableConstraint(TokenCursor in, String table) {
        String name = in.accept("constraint") ? in.identifier() : null;
        ObjectNode constraint = NODES.objectNode();
        List<String> columns;
        if (in.accept("primary", "key")) {
            columns = in.identifierList();
            constraint.put("type", "primary_key");
            name = name != null ? name : unnamed(constraint, table + "_pkey");
        } else if (in.accept("unique")) {
            columns = in.identifierList();
            constraint.put("type", "unique");
            name = name != null ? name : table + "_" + String.join("_", columns) + "_key";
        } else if (in.accept("check")) {
            columns = List.of();
            constraint.put("type", "check").put("check", in.parenthesized());
            if (in.accept("no", "inherit")) {
                constraint.put("no_inherit", true);
            }
            name = name != null ? name : table + "_check";
        } else {
            in.expect("foreign", "key");
            columns = in.identifierList();
            in.expect("references");
            constraint.put("type", "foreign_key");
            constraint.set("references", tableReference(in));
            name = name != null ? name : table + "_" + String.join("_", columns) + "_fkey";
        }
        constraint.put("name", name);
        ArrayNode names = NODES.arrayNode();
        columns.forEach(names::add);
        constraint.set("columns", names);
        in.refuse("(index parameters) have no counterpart here", "include", "with", "using");
        if (in.accept("deferrable")) {
            constraint.put("deferrable", true);
        } else {
            in.accept("not", "deferrable");
        }
        if (in.accept("initially", "deferred")) {
            constraint.put("initially_deferred", true);
        } else {
            in.accept("initially", "immediate");
        }
        in.refuse("constraints have no create_table counterpart", "not");
        return constraint;
    }

    /** Marks an unnamed primary key, which may become the columns' {@code pk}. */
    private static String unnamed(ObjectNode constraint, String name) {
        constraint.put("unnamed", true);
        return name;
    }

    private ObjectNode tableReference(TokenCursor in) {
        ObjectNode reference = NODES.objectNode().put("table", names.table(in));
        ArrayNode columns = NODES.arrayNode();
        names.referencedColumns(in, reference.path("table").asText()).forEach(columns::add);
        reference.set("columns", columns);
        referentialActions(in, reference);
        return reference;
    }
}
