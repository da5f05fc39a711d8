package io.pgroll.engine.internal.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What exists right now in one schema, asked one question at a time. Complete and rollback ask before
 * they act, so that a second run after a crash part-way finds its work half done and carries on
 * instead of failing. Every name goes in as a parameter and is resolved with {@code quote_ident}.
 */
public final class CatalogQueries {
    private static final String RELATION = "to_regclass(quote_ident(?) || '.' || quote_ident(?))";

    private final Connection connection;
    private final String schema;

    public CatalogQueries(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
    }

    /** A trigger and the table it is on. */
    public record TableTrigger(String trigger, String table) {}

    /** A column-level privilege: {@code grantee} null for PUBLIC. */
    public record ColumnGrant(String grantee, String privilege, boolean grantable) {}

    public boolean schemaExists(String name) throws SQLException {
        return exists("SELECT 1 WHERE to_regnamespace(quote_ident(?)) IS NOT NULL", name);
    }

    /** Whether a relation (table, index, sequence, view) of this name exists in the schema. */
    public boolean relationExists(String relation) throws SQLException {
        return exists("SELECT 1 WHERE " + RELATION + " IS NOT NULL", schema, relation);
    }

    public boolean columnExists(String table, String column) throws SQLException {
        return exists(
                "SELECT 1 FROM pg_attribute WHERE attrelid = " + RELATION + " AND attname = ? AND NOT attisdropped",
                schema,
                table,
                column);
    }

    public boolean functionExists(String function) throws SQLException {
        return exists(
                "SELECT 1 FROM pg_proc WHERE pronamespace = to_regnamespace(quote_ident(?)) AND proname = ?",
                schema,
                function);
    }

    public boolean constraintExists(String table, String name) throws SQLException {
        return exists(
                "SELECT 1 FROM pg_constraint WHERE conrelid = " + RELATION + " AND conname = ?", schema, table, name);
    }

    /** The table's OID; 0 when there is no such table. */
    public long oid(String table) throws SQLException {
        try (PreparedStatement ps = prepare("SELECT coalesce(" + RELATION + "::oid, 0)", schema, table);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The indexes of the table with a column of this name (an index keeps the names it was built with). */
    public List<String> indexesWithColumn(String table, String column) throws SQLException {
        return strings(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                        + " JOIN pg_attribute a ON a.attrelid = i.indexrelid WHERE i.indrelid = " + RELATION
                        + " AND a.attname = ?",
                schema,
                table,
                column);
    }

    /** The triggers whose name starts with {@code prefix}, on any table of the schema, by table. */
    public List<TableTrigger> triggersNamed(String prefix) throws SQLException {
        List<TableTrigger> triggers = new ArrayList<>();
        try (PreparedStatement ps = prepare(
                        """
                        SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                        WHERE c.relnamespace = to_regnamespace(quote_ident(?)) AND starts_with(t.tgname, ?)
                        ORDER BY 2, 1
                        """,
                        schema,
                        prefix);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                triggers.add(new TableTrigger(rs.getString(1), rs.getString(2)));
            }
        }
        return triggers;
    }

    /** The trigger functions (no arguments) whose name starts with {@code prefix}. */
    public List<String> triggerFunctionsNamed(String prefix) throws SQLException {
        return strings(
                """
                SELECT p.proname FROM pg_proc p
                WHERE p.pronamespace = to_regnamespace(quote_ident(?)) AND starts_with(p.proname, ?)
                  AND p.prorettype = 'trigger'::regtype AND p.pronargs = 0
                ORDER BY 1
                """,
                schema,
                prefix);
    }

    /** The NOT NULL constraints of a column, which have names from PostgreSQL 18 on (none before). */
    public List<String> notNullConstraints(String table, String column) throws SQLException {
        return strings(
                """
                SELECT con.conname FROM pg_constraint con
                JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
                WHERE con.conrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?))
                  AND con.contype = 'n' AND a.attname = ?
                """,
                schema,
                table,
                column);
    }

    /** The column's collation as (schema, name), when it is not its type's default. */
    public Optional<List<String>> collation(String table, String column) throws SQLException {
        try (PreparedStatement ps = prepare(
                        """
                        SELECT n.nspname, c.collname
                        FROM pg_attribute a
                        JOIN pg_type t ON t.oid = a.atttypid
                        JOIN pg_collation c ON c.oid = a.attcollation
                        JOIN pg_namespace n ON n.oid = c.collnamespace
                        WHERE a.attrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND a.attname = ?
                          AND a.attcollation <> t.typcollation
                        """,
                        schema,
                        table,
                        column);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(List.of(rs.getString(1), rs.getString(2))) : Optional.empty();
        }
    }

    /** The column-level privileges of a column. */
    public List<ColumnGrant> columnGrants(String table, String column) throws SQLException {
        List<ColumnGrant> grants = new ArrayList<>();
        try (PreparedStatement ps = prepare(
                        """
                        SELECT CASE WHEN g.grantee = 0 THEN NULL ELSE pg_get_userbyid(g.grantee) END, g.privilege_type,
                               g.is_grantable
                        FROM pg_attribute a, aclexplode(a.attacl) g
                        WHERE a.attrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND a.attname = ?
                        """,
                        schema,
                        table,
                        column);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                grants.add(new ColumnGrant(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
            }
        }
        return grants;
    }

    private boolean exists(String sql, String... params) throws SQLException {
        try (PreparedStatement ps = prepare(sql, params);
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private List<String> strings(String sql, String... params) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement ps = prepare(sql, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private PreparedStatement prepare(String sql, String... params) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setString(i + 1, params[i]);
        }
        return ps;
    }
}
