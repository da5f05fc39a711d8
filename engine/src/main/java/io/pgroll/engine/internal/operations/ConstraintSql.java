package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.model.CheckConstraint;
import io.pgroll.engine.model.Column;
import io.pgroll.engine.model.ForeignKeyReference;
import io.pgroll.engine.model.IndexParameters;
import io.pgroll.engine.model.TableConstraint;
import io.pgroll.engine.model.TableForeignKeyReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Column definitions and constraint clauses as CREATE TABLE and ADD COLUMN write them. Types, defaults
 * and check expressions are the migration's own SQL fragments, the only raw SQL the format allows.
 */
final class ConstraintSql {
    private ConstraintSql() {}

    /**
     * {@code "name" type [GENERATED ...] [DEFAULT ...] [NOT NULL] [UNIQUE] [CHECK ...] [REFERENCES ...]}.
     * The primary key is left to the caller, which may span several columns.
     */
    static String columnDefinition(String physicalName, Column column, String schema, boolean enforceNotNull) {
        StringBuilder sql =
                new StringBuilder(Sql.ident(physicalName)).append(' ').append(column.type());
        if (column.generated() != null) {
            var generated = column.generated();
            if (generated.expression() != null && !generated.expression().isBlank()) {
                sql.append(" GENERATED ALWAYS AS (")
                        .append(generated.expression())
                        .append(") STORED");
            } else if (generated.identity() != null) {
                String mode = generated.identity().userSpecifiedValues() == null
                        ? "ALWAYS"
                        : generated.identity().userSpecifiedValues();
                sql.append(" GENERATED ").append(mode).append(" AS IDENTITY");
                String options = generated.identity().sequenceOptions();
                if (options != null && !options.isBlank()) {
                    sql.append(" (").append(options).append(')');
                }
            }
        }
        if (column.defaultValue() != null) {
            sql.append(" DEFAULT ").append(column.defaultValue());
        }
        if (enforceNotNull && !column.nullable() && !column.pk()) {
            sql.append(" NOT NULL");
        }
        if (column.unique()) {
            sql.append(" UNIQUE");
        }
        if (column.check() != null) {
            sql.append(' ').append(check(column.check()));
        }
        if (column.references() != null) {
            var ref = column.references();
            sql.append(" CONSTRAINT ").append(Sql.ident(ref.name())).append(' ').append(references(ref, schema));
        }
        return sql.toString();
    }

    static String check(CheckConstraint check) {
        return "CONSTRAINT " + Sql.ident(check.name()) + " CHECK (" + check.constraint() + ")"
                + (check.noInherit() ? " NO INHERIT" : "");
    }

    /** {@code REFERENCES "schema"."table" ("column") ...}, naming the physical referenced table. */
    static String references(ForeignKeyReference ref, String schema) {
        return "REFERENCES " + Sql.qualified(schema, ref.table()) + " (" + Sql.ident(ref.column()) + ")"
                + foreignKeyOptions(ref.matchType(), ref.onDelete(), null, ref.onUpdate())
                + deferral(ref.deferrable(), ref.initiallyDeferred());
    }

    static String tableConstraint(TableConstraint c, String schema) {
        String head = "CONSTRAINT " + Sql.ident(c.name()) + " ";
        return switch (c.type()) {
            case CHECK -> head + "CHECK (" + c.check() + ")" + (c.noInherit() ? " NO INHERIT" : "");
            case UNIQUE -> head + "UNIQUE" + (c.nullsNotDistinct() ? " NULLS NOT DISTINCT" : "") + " ("
                    + Sql.identList(c.columns()) + ")" + indexParameters(c.indexParameters())
                    + deferral(c.deferrable(), c.initiallyDeferred());
            case PRIMARY_KEY -> head + "PRIMARY KEY (" + Sql.identList(c.columns()) + ")"
                    + indexParameters(c.indexParameters()) + deferral(c.deferrable(), c.initiallyDeferred());
            case FOREIGN_KEY -> head + "FOREIGN KEY (" + Sql.identList(c.columns()) + ") "
                    + tableReferences(c.references(), schema) + deferral(c.deferrable(), c.initiallyDeferred());
            case EXCLUDE -> head + "EXCLUDE USING " + method(c.exclude().indexMethod()) + " ("
                    + c.exclude().elements() + ")" + indexParameters(c.indexParameters())
                    + (blank(c.exclude().predicate())
                            ? ""
                            : " WHERE (" + c.exclude().predicate() + ")")
                    + deferral(c.deferrable(), c.initiallyDeferred());
        };
    }

    static String tableReferences(TableForeignKeyReference ref, String schema) {
        return "REFERENCES " + Sql.qualified(schema, ref.table()) + " (" + Sql.identList(ref.columns()) + ")"
                + foreignKeyOptions(ref.matchType(), ref.onDelete(), ref.onDeleteSetColumns(), ref.onUpdate());
    }

    private static String foreignKeyOptions(
            String matchType, String onDelete, List<String> onDeleteSetColumns, String onUpdate) {
        StringBuilder sql = new StringBuilder();
        if (!blank(matchType)) {
            sql.append(" MATCH ").append(keyword(matchType));
        }
        if (!blank(onDelete)) {
            sql.append(" ON DELETE ").append(keyword(onDelete));
            if (onDeleteSetColumns != null && !onDeleteSetColumns.isEmpty()) {
                sql.append(" (").append(Sql.identList(onDeleteSetColumns)).append(')');
            }
        }
        if (!blank(onUpdate)) {
            sql.append(" ON UPDATE ").append(keyword(onUpdate));
        }
        return sql.toString();
    }

    private static String indexParameters(IndexParameters p) {
        if (p == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (p.includeColumns() != null && !p.includeColumns().isEmpty()) {
            parts.add("INCLUDE (" + Sql.identList(p.includeColumns()) + ")");
        }
        if (!blank(p.storageParameters())) {
            parts.add("WITH (" + p.storageParameters() + ")");
        }
        if (!blank(p.tablespace())) {
            parts.add("USING INDEX TABLESPACE " + Sql.ident(p.tablespace()));
        }
        return parts.isEmpty() ? "" : " " + String.join(" ", parts);
    }

    private static String deferral(boolean deferrable, boolean initiallyDeferred) {
        return (deferrable ? " DEFERRABLE" : "") + (initiallyDeferred ? " INITIALLY DEFERRED" : "");
    }

    /** Keywords from a closed list the structural validator has already checked (NO ACTION, CASCADE, ...). */
    private static String keyword(String value) {
        if (!value.matches("[A-Za-z ]+")) {
            throw new IllegalArgumentException("not an SQL keyword: " + value);
        }
        return value.toUpperCase(java.util.Locale.ROOT);
    }

    static String method(String method) {
        return blank(method) ? "btree" : keyword(method).toLowerCase(java.util.Locale.ROOT);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
