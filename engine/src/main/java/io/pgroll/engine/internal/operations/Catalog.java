package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What exists right now in the target schema. Complete and rollback ask before they act, so that a
 * second run after a crash part-way finds its work half done and carries on instead of failing.
 */
final class Catalog {
    private Catalog() {}

    /**
     * An index keeps the names its columns had when it was built; renaming the table's column does not
     * rename them. Renamed too, so that no {@code _pgroll_} name outlives the migration.
     */
    static List<String> renameIndexColumns(ExecutionContext context, String table, String from, String to)
            throws SQLException {
        List<String> statements = new ArrayList<>();
        try (PreparedStatement ps = context.connection()
                .prepareStatement(
                        "SELECT c.relname FROM pg_index i "
                                + "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_attribute a ON a.attrelid = i.indexrelid "
                                + "WHERE i.indrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND a.attname = ?")) {
            ps.setString(1, context.schemaName());
            ps.setString(2, table);
            ps.setString(3, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    statements.add("ALTER TABLE " + context.qualified(rs.getString(1)) + " RENAME COLUMN "
                            + Sql.ident(from) + " TO " + Sql.ident(to));
                }
            }
        }
        return statements;
    }

    /**
     * Drops the triggers (and their functions) that translate the old version's writes, {@code
     * _pgroll_up_...}, triggers first. The new version's ({@code down}) stay until each operation's
     * complete drops the original columns they fill, in the same transaction.
     */
    static List<String> dropUpTriggers(ExecutionContext context) throws SQLException {
        List<String> statements = new ArrayList<>();
        try (PreparedStatement ps = context.connection()
                .prepareStatement(
                        """
                        SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                        WHERE c.relnamespace = to_regnamespace(quote_ident(?)) AND t.tgname LIKE '\\_pgroll\\_up\\_%'
                        ORDER BY 2, 1
                        """)) {
            ps.setString(1, context.schemaName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    statements.add("DROP TRIGGER IF EXISTS " + Sql.ident(rs.getString(1)) + " ON "
                            + context.qualified(rs.getString(2)));
                }
            }
        }
        try (PreparedStatement ps = context.connection()
                .prepareStatement(
                        """
                        SELECT p.proname FROM pg_proc p
                        WHERE p.pronamespace = to_regnamespace(quote_ident(?)) AND p.proname LIKE '\\_pgroll\\_up\\_%'
                          AND p.prorettype = 'trigger'::regtype AND p.pronargs = 0
                        ORDER BY 1
                        """)) {
            ps.setString(1, context.schemaName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    statements.add("DROP FUNCTION IF EXISTS " + context.qualified(rs.getString(1)) + "()");
                }
            }
        }
        return statements;
    }

    /** The NOT NULL constraints of a column, which have names from PostgreSQL 18 on (none before). */
    static List<String> notNullConstraints(ExecutionContext context, String table, String column) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = context.connection()
                .prepareStatement(
                        """
                        SELECT con.conname FROM pg_constraint con
                        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
                        WHERE con.conrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?))
                          AND con.contype = 'n' AND a.attname = ?
                        """)) {
            ps.setString(1, context.schemaName());
            ps.setString(2, table);
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /** The column's collation, qualified, when it is not its type's default. */
    static Optional<String> collation(ExecutionContext context, String table, String column) throws SQLException {
        try (PreparedStatement ps = context.connection()
                .prepareStatement(
                        """
                        SELECT n.nspname, c.collname
                        FROM pg_attribute a
                        JOIN pg_type t ON t.oid = a.atttypid
                        JOIN pg_collation c ON c.oid = a.attcollation
                        JOIN pg_namespace n ON n.oid = c.collnamespace
                        WHERE a.attrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND a.attname = ?
                          AND a.attcollation <> t.typcollation
                        """)) {
            ps.setString(1, context.schemaName());
            ps.setString(2, table);
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Sql.qualified(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /** GRANTs that give {@code copy} the column-level privileges {@code column} has. */
    static List<String> columnGrants(ExecutionContext context, String table, String column, String copy)
            throws SQLException {
        List<String> grants = new ArrayList<>();
        try (PreparedStatement ps = context.connection()
                .prepareStatement(
                        """
                        SELECT CASE WHEN g.grantee = 0 THEN NULL ELSE pg_get_userbyid(g.grantee) END, g.privilege_type,
                               g.is_grantable
                        FROM pg_attribute a, aclexplode(a.attacl) g
                        WHERE a.attrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND a.attname = ?
                        """)) {
            ps.setString(1, context.schemaName());
            ps.setString(2, table);
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    grants.add("GRANT " + rs.getString(2) + " (" + Sql.ident(copy) + ") ON " + context.qualified(table)
                            + " TO " + (rs.getString(1) == null ? "PUBLIC" : Sql.ident(rs.getString(1)))
                            + (rs.getBoolean(3) ? " WITH GRANT OPTION" : ""));
                }
            }
        }
        return grants;
    }

    /** The table's OID; 0 when there is no such table. */
    static long oid(ExecutionContext context, String table) throws SQLException {
        try (PreparedStatement ps = context.connection()
                .prepareStatement("SELECT coalesce(to_regclass(quote_ident(?) || '.' || quote_ident(?))::oid, 0)")) {
            ps.setString(1, context.schemaName());
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static boolean schemaExists(Connection connection, String schema) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regnamespace(quote_ident(?)) IS NOT NULL")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static boolean tableExists(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT to_regclass(quote_ident(?) || '.' || quote_ident(?)) IS NOT NULL")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static boolean columnExists(ExecutionContext context, String table, String column) throws SQLException {
        try (PreparedStatement ps = context.connection()
                .prepareStatement(
                        "SELECT 1 FROM pg_attribute WHERE attrelid = "
                                + "to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND attname = ? AND NOT attisdropped")) {
            ps.setString(1, context.schemaName());
            ps.setString(2, table);
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static boolean functionExists(ExecutionContext context, String function) throws SQLException {
        try (PreparedStatement ps = context.connection()
                .prepareStatement(
                        "SELECT 1 FROM pg_proc WHERE pronamespace = to_regnamespace(quote_ident(?)) AND proname = ?")) {
            ps.setString(1, context.schemaName());
            ps.setString(2, function);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static boolean indexExists(ExecutionContext context, String index) throws SQLException {
        try (PreparedStatement ps = context.connection()
                .prepareStatement("SELECT to_regclass(quote_ident(?) || '.' || quote_ident(?)) IS NOT NULL")) {
            ps.setString(1, context.schemaName());
            ps.setString(2, index);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static boolean constraintExists(ExecutionContext context, String table, String name) throws SQLException {
        try (PreparedStatement ps = context.connection()
                .prepareStatement("SELECT 1 FROM pg_constraint WHERE conrelid = "
                        + "to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND conname = ?")) {
            ps.setString(1, context.schemaName());
            ps.setString(2, table);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
