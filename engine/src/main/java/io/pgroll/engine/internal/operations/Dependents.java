package io.pgroll.engine.internal.operations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What else in the database depends on a table or a column, read from pg_depend.
 *
 * <p>A column that {@code complete} will drop (or replace by a retyped copy) must have no dependent
 * that would make the drop fail, or silently take it away with CASCADE: a view outside the version
 * schemas, a materialized view, a policy, a publication, a function whose SQL body names it, a
 * trigger, a generated column, a foreign key of another table. {@code start} checks this beforehand,
 * because {@code complete} only moves forward. The table's own indexes and constraints on the column
 * are not obstacles: the column operations carry them over.
 */
final class Dependents {
    /** One object that stands in the way, described for a person. */
    record Dependent(String kind, String description) {}

    private Dependents() {}

    /**
     * Objects that would block dropping the column ({@code column} null: the whole table), leaving out
     * the views of the given version schemas, which complete drops first.
     */
    static List<Dependent> blocking(
            Connection c,
            String schema,
            String table,
            String column,
            List<String> versionSchemas,
            boolean foreignKeysCarried)
            throws SQLException {
        String sql =
                """
                WITH target AS (
                    SELECT to_regclass(quote_ident(?) || '.' || quote_ident(?)) AS rel
                ), att AS (
                    SELECT a.attnum FROM pg_attribute a, target
                    WHERE a.attrelid = target.rel AND a.attname = ? AND NOT a.attisdropped
                ), deps AS (
                    SELECT d.classid, d.objid, d.objsubid
                    FROM pg_depend d, target
                    WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = target.rel
                      AND d.deptype IN ('n', 'a')
                      AND (? IS NULL AND d.refobjsubid >= 0 OR d.refobjsubid = (SELECT attnum FROM att))
                )
                SELECT 'view', format('%I.%I', (SELECT nspname FROM pg_namespace WHERE oid = v.relnamespace), v.relname)
                  FROM deps JOIN pg_rewrite r ON deps.classid = 'pg_rewrite'::regclass AND r.oid = deps.objid
                  JOIN pg_class v ON v.oid = r.ev_class
                  WHERE v.oid <> (SELECT rel FROM target)
                    AND (SELECT nspname FROM pg_namespace WHERE oid = v.relnamespace) <> ALL (?)
                UNION
                SELECT 'policy', p.polname || ' on ' || p.polrelid::regclass::text
                  FROM deps JOIN pg_policy p ON deps.classid = 'pg_policy'::regclass AND p.oid = deps.objid
                UNION
                SELECT 'trigger', t.tgname || ' on ' || t.tgrelid::regclass::text
                  FROM deps JOIN pg_trigger t ON deps.classid = 'pg_trigger'::regclass AND t.oid = deps.objid
                  WHERE NOT t.tgisinternal AND t.tgname NOT LIKE '\\_pgroll\\_%'
                UNION
                SELECT 'function', p.oid::regprocedure::text
                  FROM deps JOIN pg_proc p ON deps.classid = 'pg_proc'::regclass AND p.oid = deps.objid
                UNION
                SELECT 'publication', pub.pubname
                  FROM deps JOIN pg_publication_rel pr ON deps.classid = 'pg_publication_rel'::regclass AND pr.oid = deps.objid
                  JOIN pg_publication pub ON pub.oid = pr.prpubid
                  WHERE ? IS NOT NULL
                UNION
                SELECT 'foreign key', con.conname || ' of table ' || con.conrelid::regclass::text
                  FROM deps JOIN pg_constraint con ON deps.classid = 'pg_constraint'::regclass AND con.oid = deps.objid
                  WHERE con.contype = 'f' AND con.conrelid <> (SELECT rel FROM target)
                    -- a rewrite carries the foreign keys of its own schema's tables over, not other schemas'
                    AND NOT (? AND (SELECT relnamespace FROM pg_class WHERE oid = con.conrelid)
                                   = (SELECT relnamespace FROM pg_class WHERE oid = (SELECT rel FROM target)))
                UNION
                SELECT 'generated column', a.attname || ' of table ' || a.attrelid::regclass::text
                  FROM deps JOIN pg_attrdef ad ON deps.classid = 'pg_attrdef'::regclass AND ad.oid = deps.objid
                  JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
                  WHERE a.attgenerated <> '' AND a.attname <> coalesce(?, '')
                ORDER BY 1, 2
                """;
        List<Dependent> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, column);
            ps.setString(4, column);
            ps.setArray(5, c.createArrayOf("text", versionSchemas.toArray()));
            ps.setString(6, column);
            ps.setBoolean(7, foreignKeysCarried);
            ps.setString(8, column);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Dependent(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return found;
    }

    /** Refuses the operation when anything would block what complete drops; says what and how to proceed. */
    static void refuseIfBlocked(
            ValidationContext context, String table, String column, String what, boolean foreignKeysCarried)
            throws SQLException {
        if (!context.schemaIsExact()) {
            return;
        }
        List<Dependent> blocking = blocking(
                context.connection(),
                context.schema().name(),
                table,
                column,
                context.versionSchemas(),
                foreignKeysCarried);
        if (!blocking.isEmpty()) {
            throw new InvalidOperationException(what + " cannot be completed without breaking what depends on it: "
                    + String.join(
                            ", ",
                            blocking.stream()
                                    .map(d -> d.kind() + " " + d.description())
                                    .toList())
                    + ". Drop or change these first (in an earlier migration), so that complete cannot fail half-way");
        }
    }
}
