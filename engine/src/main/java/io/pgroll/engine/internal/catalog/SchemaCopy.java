package io.pgroll.engine.internal.catalog;

import io.pgroll.engine.internal.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An empty copy of a schema's tables, with their columns, defaults, identities, constraints, indexes,
 * owned sequences and replica identities under the same names: what plan rehearses a migration on, so
 * that the real tables are never locked. Reading the original takes ACCESS SHARE on its tables, which
 * blocks nothing but DDL.
 *
 * @param oids each copied table's OID, to its original's (the tool's temporary names carry them)
 * @param notCopied what the original has that the copy lacks, each said once, for the reader of a plan
 */
public record SchemaCopy(Map<Long, Long> oids, List<String> notCopied) {
    public SchemaCopy {
        oids = Map.copyOf(oids);
        notCopied = List.copyOf(notCopied);
    }

    /** Creates schema {@code to} as an empty copy of schema {@code from}. */
    public static SchemaCopy create(Connection connection, String from, String to) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE SCHEMA " + Sql.ident(to));
            // what a plan that was killed leaves behind must say what it is
            st.execute("COMMENT ON SCHEMA " + Sql.ident(to) + " IS "
                    + Sql.literal("an empty copy of schema " + from
                            + " made by pgroll plan, dropped when the plan ends; drop it if no plan is running"));
            Map<String, Long> tables = relations(connection, from);
            for (String table : tables.keySet()) {
                st.execute("CREATE TABLE " + Sql.qualified(to, table) + " (LIKE " + Sql.qualified(from, table)
                        + " INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED INCLUDING CONSTRAINTS"
                        + " INCLUDING STORAGE INCLUDING COMMENTS)");
            }
            // definitions read with the original first on the path name its own tables unqualified
            st.execute("SET search_path = " + Sql.ident(from));
            List<String> definitions = definitions(connection, from, to);
            st.execute("SET search_path = " + Sql.ident(to));
            for (String definition : definitions) {
                st.execute(definition);
            }
            Map<Long, Long> oids = new HashMap<>();
            Map<String, Long> copies = relations(connection, to);
            tables.forEach((table, oid) -> oids.put(copies.get(table), oid));
            return new SchemaCopy(oids, notCopied(connection, from));
        }
    }

    private static Map<String, Long> relations(Connection connection, String schema) throws SQLException {
        Map<String, Long> tables = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT relname, oid FROM pg_class WHERE relnamespace = to_regnamespace(quote_ident(?))"
                        + " AND relkind IN ('r', 'p') ORDER BY oid")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return tables;
    }

    /**
     * The statements that give the copy the original's keys, indexes, foreign keys among its own tables,
     * owned sequences and replica identities, to run with the copy first on the search path.
     */
    private static List<String> definitions(Connection connection, String from, String to) throws SQLException {
        List<String> statements = new ArrayList<>();
        // a migration's new columns may be of the schema's enums and domains
        statements.addAll(column(
                connection,
                """
                SELECT CASE t.typtype
                         WHEN 'e' THEN format('CREATE TYPE %I AS ENUM (%s)', t.typname,
                              (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                               FROM pg_enum e WHERE e.enumtypid = t.oid))
                         ELSE format('CREATE DOMAIN %I AS %s', t.typname, format_type(t.typbasetype, t.typtypmod))
                              || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
                              || coalesce(' DEFAULT ' || t.typdefault, '')
                              || coalesce((SELECT string_agg(format(' CONSTRAINT %I %s', c.conname,
                                                  pg_get_constraintdef(c.oid)), '' ORDER BY c.oid)
                                           FROM pg_constraint c WHERE c.contypid = t.oid), '')
                       END
                FROM pg_type t WHERE t.typnamespace = to_regnamespace(quote_ident(?)) AND t.typtype IN ('e', 'd')
                ORDER BY t.typtype = 'd', t.oid
                """,
                from));
        // keys before the foreign keys that need them; a foreign key to another schema would lock that table
        statements.addAll(column(
                connection,
                """
                SELECT format('ALTER TABLE %I ADD CONSTRAINT %I %s', t.relname, c.conname, pg_get_constraintdef(c.oid))
                FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
                WHERE t.relnamespace = to_regnamespace(quote_ident(?)) AND t.relkind IN ('r', 'p')
                  AND (c.contype IN ('p', 'u', 'x')
                       OR c.contype = 'f' AND c.confrelid IN (SELECT oid FROM pg_class WHERE relnamespace = t.relnamespace))
                ORDER BY c.contype = 'f', c.oid
                """,
                from));
        statements.addAll(column(
                connection,
                """
                SELECT replace(replace(pg_get_indexdef(i.indexrelid),
                           ' ON ' || quote_ident(n.nspname) || '.', ' ON ' || quote_ident(?) || '.'),
                           ' ON ONLY ' || quote_ident(n.nspname) || '.', ' ON ONLY ' || quote_ident(?) || '.')
                FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = ? AND t.relkind IN ('r', 'p')
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = t.oid)
                ORDER BY i.indexrelid
                """,
                to,
                to,
                from));
        statements.addAll(column(
                connection,
                """
                SELECT format('CREATE SEQUENCE %I OWNED BY %I.%I', s.relname, t.relname, a.attname)
                       || CASE WHEN pg_get_expr(ad.adbin, ad.adrelid) LIKE 'nextval(%'
                          THEN format('; ALTER TABLE %I ALTER COLUMN %I SET DEFAULT nextval(%L)',
                                      t.relname, a.attname, quote_ident(s.relname)) ELSE '' END
                FROM pg_class s
                JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
                     AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'
                JOIN pg_class t ON t.oid = d.refobjid
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                LEFT JOIN pg_attrdef ad ON ad.adrelid = t.oid AND ad.adnum = a.attnum
                WHERE s.relkind = 'S' AND s.relnamespace = to_regnamespace(quote_ident(?))
                  AND t.relnamespace = s.relnamespace
                ORDER BY s.oid
                """,
                from));
        statements.addAll(column(
                connection,
                """
                SELECT format('ALTER TABLE %I REPLICA IDENTITY %s', t.relname, CASE t.relreplident
                           WHEN 'd' THEN 'DEFAULT' WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING'
                           ELSE 'USING INDEX ' || quote_ident((SELECT ic.relname FROM pg_index i
                                JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = t.oid AND i.indisreplident))
                           END)
                       || CASE WHEN t.relrowsecurity THEN format('; ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.relname)
                          ELSE '' END
                FROM pg_class t
                WHERE t.relnamespace = to_regnamespace(quote_ident(?)) AND t.relkind IN ('r', 'p')
                  AND (t.relreplident <> 'd' OR t.relrowsecurity)
                ORDER BY t.oid
                """,
                from));
        return statements;
    }

    /** What the copy leaves out, counted: the plan's statements for these may differ from the real ones. */
    private static List<String> notCopied(Connection connection, String from) throws SQLException {
        return column(
                connection,
                """
                SELECT format('%s %s', count, what) FROM (
                  SELECT count(*) AS count, 'view(s)' AS what, 1 AS o FROM pg_class
                  WHERE relnamespace = to_regnamespace(quote_ident(?)) AND relkind IN ('v', 'm')
                  UNION ALL
                  SELECT count(*), 'trigger(s) of your own', 2 FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
                  WHERE t.relnamespace = to_regnamespace(quote_ident(?)) AND NOT g.tgisinternal
                    AND g.tgname NOT LIKE '\\_pgroll\\_%'
                  UNION ALL
                  SELECT count(*), 'row security policy(ies)', 3 FROM pg_policy p JOIN pg_class t ON t.oid = p.polrelid
                  WHERE t.relnamespace = to_regnamespace(quote_ident(?))
                  UNION ALL
                  SELECT count(*), 'foreign key(s) to or from another schema', 4 FROM pg_constraint c
                  JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
                  WHERE c.contype = 'f' AND (t.relnamespace = to_regnamespace(quote_ident(?)))
                        <> (r.relnamespace = to_regnamespace(quote_ident(?)))
                  UNION ALL
                  SELECT count(*), 'partition or inheritance link(s)', 5 FROM pg_inherits h JOIN pg_class t ON t.oid = h.inhrelid
                  WHERE t.relnamespace = to_regnamespace(quote_ident(?))
                  UNION ALL
                  SELECT count(*), 'function(s)', 7 FROM pg_proc
                  WHERE pronamespace = to_regnamespace(quote_ident(?)) AND proname NOT LIKE '\\_pgroll\\_%'
                  UNION ALL
                  SELECT count(*), 'type(s) other than enums and domains', 8 FROM pg_type t
                  WHERE t.typnamespace = to_regnamespace(quote_ident(?)) AND t.typtype IN ('c', 'r', 'm')
                    AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
                  UNION ALL
                  SELECT count(*), 'table(s) with column privileges', 6 FROM pg_class t
                  WHERE t.relnamespace = to_regnamespace(quote_ident(?)) AND t.relkind IN ('r', 'p')
                    AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attacl IS NOT NULL)
                ) found WHERE count > 0 ORDER BY o
                """,
                from,
                from,
                from,
                from,
                from,
                from,
                from,
                from,
                from);
    }

    private static List<String> column(Connection connection, String sql, String... params) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
