package io.pgroll.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A text describing everything a database holds outside the system schemas, for tests that must
 * prove a command left the schema exactly as it found it:
 *
 * <pre>{@code
 * String before = CatalogFingerprint.of(c, "pgroll");
 * ... start, then rollback ...
 * assertThat(CatalogFingerprint.of(c, "pgroll")).isEqualTo(before);
 * }</pre>
 *
 * <p>One fact per line, each line prefixed by the object it is about ({@code table app.users column 2
 * email: text NOT NULL}), sorted so that an object's facts stay together: a diff of two fingerprints
 * reads as the list of what changed. It holds no OID and no attribute number (columns are numbered by
 * their order among the columns that are not dropped), so a table dropped and recreated identically,
 * or a column added then dropped, leaves it unchanged. Privileges are compared as effective: an
 * object whose ACL was never set reads as the owner's default privileges.
 *
 * <p>Covered: schemas, extensions, tables, partitioned and foreign tables, views and materialized
 * views (with definitions), sequences (with parameters and owning column), composite types, columns,
 * constraints (with whether validated), indexes (with whether valid), triggers, policies, rules,
 * functions and procedures (signature, arguments, result, attributes, md5 of the body, settings),
 * enums, domains, range types, extended statistics, event triggers, default privileges, and owners,
 * privileges and comments of all of them. Not covered: data, sequence values, roles, tablespaces,
 * publications and subscriptions, operators and collations defined in user schemas.
 *
 * <p>Expressions are rendered with {@code search_path} set to {@code pg_catalog} only, so every name
 * is schema-qualified, and with fixed {@code TimeZone}, {@code DateStyle} and the like, so constants
 * read the same whatever the connection's settings, which are restored afterwards.
 */
public final class CatalogFingerprint {
    /** A schema of PostgreSQL's own, never described. */
    private static final String USER_SCHEMA =
            "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'";

    /**
     * The settings that change how the catalog's expressions render: with these, every name is
     * schema-qualified and every constant (a partition bound, a default) reads the same whatever the
     * session's own settings.
     */
    private static final Map<String, String> RENDERING = orderedMap(
            "search_path", "pg_catalog, pg_temp",
            "TimeZone", "UTC",
            "DateStyle", "ISO, MDY",
            "IntervalStyle", "postgres",
            "extra_float_digits", "1",
            "bytea_output", "hex");

    private static final String SEP = "chr(1)";

    /**
     * Every query returns (schema or null, sort key, line). Facts are rows of a VALUES list whose first
     * value is text: the list takes the type of its first row, and a {@code name} there would cut
     * every other value to 63 bytes. Empty facts are left out.
     */
    private static final List<String> QUERIES = List.of(
            // schemas
            """
            SELECT n.nspname, concat_ws(%1$s, n.nspname, '0'), format('schema %%I %%s: %%s', n.nspname, f.attr, f.val)
            FROM pg_namespace n
            CROSS JOIN LATERAL (VALUES
                ('owner', pg_get_userbyid(n.nspowner)::text),
                ('privileges', %2$s),
                ('comment', obj_description(n.oid, 'pg_namespace'))) AS f (attr, val)
            WHERE %3$s AND f.val <> ''
            """
                    .formatted(SEP, acl("n.nspacl", "'n'", "n.nspowner"), USER_SCHEMA),
            // extensions
            """
            SELECT n.nspname, concat_ws(%1$s, n.nspname, '1', e.extname),
                   format('extension %%I: version %%s, schema %%I', e.extname, e.extversion, n.nspname)
            FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
            WHERE %2$s
            """
                    .formatted(SEP, USER_SCHEMA),
            // relations
            """
            SELECT n.nspname, concat_ws(%1$s, n.nspname, '2', c.relname, '0', f.attr),
                   format('%%s %%I.%%I %%s: %%s', %2$s, n.nspname, c.relname, f.attr, f.val)
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL (VALUES
                ('owner', pg_get_userbyid(c.relowner)::text),
                ('privileges', %3$s),
                ('comment', obj_description(c.oid, 'pg_class')),
                ('options', array_to_string(c.reloptions, ', ')),
                ('persistence', CASE c.relpersistence WHEN 'u' THEN 'unlogged' WHEN 't' THEN 'temporary' END),
                ('access method', (SELECT a.amname FROM pg_am a WHERE a.oid = c.relam AND a.amname <> 'heap')),
                ('replica identity', CASE WHEN c.relkind IN ('r', 'p') THEN
                    CASE c.relreplident
                        WHEN 'd' THEN 'default'
                        WHEN 'n' THEN 'nothing'
                        WHEN 'f' THEN 'full'
                        WHEN 'i' THEN 'index ' || (SELECT quote_ident(ic.relname)
                                                   FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                                                   WHERE i.indrelid = c.oid AND i.indisreplident)
                    END END),
                ('row level security', CASE WHEN c.relrowsecurity OR c.relforcerowsecurity THEN
                    concat_ws(', ', CASE WHEN c.relrowsecurity THEN 'enabled' END,
                              CASE WHEN c.relforcerowsecurity THEN 'forced' END) END),
                ('partition key', CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END),
                ('partition of', CASE WHEN c.relispartition THEN
                    (SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid)
                    || ' ' || pg_get_expr(c.relpartbound, c.oid) END),
                ('inherits', CASE WHEN NOT c.relispartition THEN
                    (SELECT string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno)
                     FROM pg_inherits i WHERE i.inhrelid = c.oid) END),
                ('definition', CASE WHEN c.relkind IN ('v', 'm') THEN
                    regexp_replace(btrim(pg_get_viewdef(c.oid), E' \\n'), '\\s*\\n\\s*', ' ', 'g') END),
                ('parameters', (SELECT format('%%s START %%s INCREMENT %%s MINVALUE %%s MAXVALUE %%s CACHE %%s%%s',
                                            format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin,
                                            s.seqmax, s.seqcache, CASE WHEN s.seqcycle THEN ' CYCLE' END)
                              FROM pg_sequence s WHERE s.seqrelid = c.oid)),
                ('owned by', CASE WHEN c.relkind = 'S' THEN
                    (SELECT format('%%s.%%I', d.refobjid::regclass, a.attname)
                     FROM pg_depend d
                     JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                     WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                       AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
                       AND d.deptype IN ('a', 'i')) END)
                ) AS f (attr, val)
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c') AND %4$s AND f.val <> ''
            """
                    .formatted(
                            SEP,
                            relationKind("c"),
                            acl("c.relacl", "CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END", "c.relowner"),
                            USER_SCHEMA),
            // columns, numbered by their order among the columns not dropped
            """
            SELECT n.nspname,
                   concat_ws(%1$s, n.nspname, '2', c.relname, '1', lpad(a.ord::text, 4, '0'), f.attr),
                   format('%%s %%I.%%I column %%s %%I%%s: %%s', %2$s, n.nspname, c.relname, a.ord, a.attname,
                          CASE WHEN f.attr = '' THEN '' ELSE ' ' || f.attr END, f.val)
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN (SELECT a.*, row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS ord
                  FROM pg_attribute a
                  WHERE a.attnum > 0 AND NOT a.attisdropped) a ON a.attrelid = c.oid
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            CROSS JOIN LATERAL (VALUES
                ('', concat_ws(' ',
                    format_type(a.atttypid, a.atttypmod),
                    CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN
                        (SELECT format('COLLATE %%I.%%I', cn.nspname, co.collname)
                         FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                         WHERE co.oid = a.attcollation) END,
                    CASE WHEN a.attnotnull THEN 'NOT NULL' END,
                    CASE WHEN a.attgenerated = '' AND d.adbin IS NOT NULL THEN
                        'DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) END,
                    CASE a.attidentity WHEN 'a' THEN 'GENERATED ALWAYS AS IDENTITY'
                                       WHEN 'd' THEN 'GENERATED BY DEFAULT AS IDENTITY' END,
                    CASE WHEN a.attgenerated <> '' THEN
                        'GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') '
                        || CASE a.attgenerated WHEN 's' THEN 'STORED' ELSE 'VIRTUAL' END END,
                    CASE WHEN a.attstorage <> t.typstorage THEN
                        'STORAGE ' || CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL'
                                                        WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END END,
                    CASE WHEN a.attoptions IS NOT NULL THEN
                        'OPTIONS (' || array_to_string(a.attoptions, ', ') || ')' END,
                    CASE WHEN NOT a.attislocal THEN 'INHERITED' END)),
                ('comment', col_description(a.attrelid, a.attnum)),
                ('privileges', CASE WHEN cardinality(a.attacl) > 0 THEN
                    array_to_string(ARRAY(SELECT x::text FROM unnest(a.attacl) x ORDER BY 1), ' ') END)
                ) AS f (attr, val)
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') AND %3$s AND f.val <> ''
            """
                    .formatted(SEP, relationKind("c"), USER_SCHEMA),
            // constraints of relations
            """
            SELECT n.nspname, concat_ws(%1$s, n.nspname, '2', c.relname, '2', k.conname, f.attr),
                   format('%%s %%I.%%I constraint %%I%%s: %%s', %2$s, n.nspname, c.relname, k.conname,
                          CASE WHEN f.attr = '' THEN '' ELSE ' ' || f.attr END, f.val)
            FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL (VALUES
                ('', pg_get_constraintdef(k.oid)
                     || CASE WHEN k.convalidated THEN '; validated' ELSE '; not validated' END),
                ('comment', obj_description(k.oid, 'pg_constraint'))) AS f (attr, val)
            WHERE %3$s AND f.val <> ''
            """
                    .formatted(SEP, relationKind("c"), USER_SCHEMA),
            // indexes
            """
            SELECT n.nspname, concat_ws(%1$s, n.nspname, '2', c.relname, '3', ic.relname, f.attr),
                   format('%%s %%I.%%I index %%I%%s: %%s', %2$s, n.nspname, c.relname, ic.relname,
                          CASE WHEN f.attr = '' THEN '' ELSE ' ' || f.attr END, f.val)
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL (VALUES
                ('', pg_get_indexdef(i.indexrelid)
                     || CASE WHEN i.indisvalid THEN '; valid' ELSE '; INVALID' END
                     || CASE WHEN NOT i.indisready THEN ', not ready' ELSE '' END
                     || CASE WHEN i.indisclustered THEN ', clustered' ELSE '' END),
                ('comment', obj_description(ic.oid, 'pg_class'))) AS f (attr, val)
            WHERE %3$s AND f.val <> ''
            """
                    .formatted(SEP, relationKind("c"), USER_SCHEMA),
            // triggers
            """
            SELECT n.nspname, concat_ws(%1$s, n.nspname, '2', c.relname, '4', tg.tgname, f.attr),
                   format('%%s %%I.%%I trigger %%I%%s: %%s', %2$s, n.nspname, c.relname, tg.tgname,
                          CASE WHEN f.attr = '' THEN '' ELSE ' ' || f.attr END, f.val)
            FROM pg_trigger tg
            JOIN pg_class c ON c.oid = tg.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL (VALUES
                ('', pg_get_triggerdef(tg.oid)
                     || CASE tg.tgenabled WHEN 'D' THEN '; disabled' WHEN 'R' THEN '; enabled replica'
                                          WHEN 'A' THEN '; enabled always' ELSE '' END),
                ('comment', obj_description(tg.oid, 'pg_trigger'))) AS f (attr, val)
            WHERE NOT tg.tgisinternal AND %3$s AND f.val <> ''
            """
                    .formatted(SEP, relationKind("c"), USER_SCHEMA),
            // row level security policies
            """
            SELECT n.nspname, concat_ws(%1$s, n.nspname, '2', c.relname, '5', p.polname),
                   format('%%s %%I.%%I policy %%I: %%s', %2$s, n.nspname, c.relname, p.polname, concat_ws(' ',
                       CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                       'FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                               WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                       'TO ' || (SELECT string_agg(r.name, ', ' ORDER BY r.name)
                                 FROM (SELECT CASE WHEN o = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(o)::text END
                                       FROM unnest(p.polroles) o) AS r (name)),
                       'USING (' || pg_get_expr(p.polqual, p.polrelid) || ')',
                       'WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')'))
            FROM pg_policy p
            JOIN pg_class c ON c.oid = p.polrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE %3$s
            """
                    .formatted(SEP, relationKind("c"), USER_SCHEMA),
            // rules (a view's own _RETURN rule is its definition, above)
            """
            SELECT n.nspname, concat_ws(%1$s, n.nspname, '2', c.relname, '6', r.rulename),
                   format('%%s %%I.%%I rule %%I: %%s%%s', %2$s, n.nspname, c.relname, r.rulename,
                          regexp_replace(btrim(pg_get_ruledef(r.oid), E' \\n'), '\\s*\\n\\s*', ' ', 'g'),
                          CASE r.ev_enabled WHEN 'D' THEN '; disabled' WHEN 'R' THEN '; enabled replica'
                                            WHEN 'A' THEN '; enabled always' ELSE '' END)
            FROM pg_rewrite r
            JOIN pg_class c ON c.oid = r.ev_class
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE r.rulename <> '_RETURN' AND %3$s
            """
                    .formatted(SEP, relationKind("c"), USER_SCHEMA),
            // functions, procedures, aggregates
            """
            SELECT n.nspname, concat_ws(%1$s, n.nspname, '3', p.oid::regprocedure::text, f.attr),
                   format('%%s %%s %%s: %%s',
                          CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'
                                         WHEN 'w' THEN 'window function' ELSE 'function' END,
                          p.oid::regprocedure, f.attr, f.val)
            FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace
            JOIN pg_language l ON l.oid = p.prolang
            CROSS JOIN LATERAL (VALUES
                ('arguments', pg_get_function_arguments(p.oid)),
                ('returns', pg_get_function_result(p.oid)),
                ('language', l.lanname::text),
                ('body md5', md5(coalesce(pg_get_function_sqlbody(p.oid), p.prosrc))
                             || coalesce(' in ' || p.probin, '')),
                ('attributes', concat_ws(' ',
                    CASE p.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END,
                    CASE WHEN p.proisstrict THEN 'STRICT' END,
                    CASE WHEN p.prosecdef THEN 'SECURITY DEFINER' END,
                    CASE WHEN p.proleakproof THEN 'LEAKPROOF' END,
                    'PARALLEL ' || CASE p.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED'
                                                      ELSE 'UNSAFE' END,
                    'COST ' || p.procost,
                    CASE WHEN p.proretset THEN 'ROWS ' || p.prorows END)),
                ('settings', array_to_string(p.proconfig, ', ')),
                ('owner', pg_get_userbyid(p.proowner)::text),
                ('privileges', %2$s),
                ('comment', obj_description(p.oid, 'pg_proc'))) AS f (attr, val)
            WHERE %3$s AND f.val <> ''
            """
                    .formatted(SEP, acl("p.proacl", "'f'", "p.proowner"), USER_SCHEMA),
            // enums, domains, range and base types (composite types are relations, above; the row
            // types of relations and the array types PostgreSQL makes for every type are left out)
            """
            SELECT n.nspname, concat_ws(%1$s, n.nspname, '4', t.typname, '0', f.attr),
                   format('%%s %%I.%%I %%s: %%s',
                          CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type'
                                         WHEN 'm' THEN 'multirange type' WHEN 'p' THEN 'pseudo type'
                                         ELSE 'base type' END,
                          n.nspname, t.typname, f.attr, f.val)
            FROM pg_type t
            JOIN pg_namespace n ON n.oid = t.typnamespace
            CROSS JOIN LATERAL (VALUES
                ('labels', CASE WHEN t.typtype = 'e' THEN
                    (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                     FROM pg_enum e WHERE e.enumtypid = t.oid) END),
                ('definition', CASE WHEN t.typtype = 'd' THEN concat_ws(' ',
                    format_type(t.typbasetype, t.typtypmod),
                    CASE WHEN t.typcollation <> 0 AND t.typcollation <>
                              (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype) THEN
                        (SELECT format('COLLATE %%I.%%I', cn.nspname, co.collname)
                         FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                         WHERE co.oid = t.typcollation) END,
                    CASE WHEN t.typnotnull THEN 'NOT NULL' END,
                    'DEFAULT ' || t.typdefault) END),
                ('subtype', (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid)),
                ('owner', pg_get_userbyid(t.typowner)::text),
                ('privileges', %2$s),
                ('comment', obj_description(t.oid, 'pg_type'))) AS f (attr, val)
            WHERE t.typrelid = 0
              AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
              AND %3$s AND f.val <> ''
            """
                    .formatted(SEP, acl("t.typacl", "'T'", "t.typowner"), USER_SCHEMA),
            // constraints of domains
            """
            SELECT n.nspname, concat_ws(%1$s, n.nspname, '4', t.typname, '1', k.conname),
                   format('domain %%I.%%I constraint %%I: %%s%%s', n.nspname, t.typname, k.conname,
                          pg_get_constraintdef(k.oid),
                          CASE WHEN k.convalidated THEN '; validated' ELSE '; not validated' END)
            FROM pg_constraint k
            JOIN pg_type t ON t.oid = k.contypid
            JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE %2$s
            """
                    .formatted(SEP, USER_SCHEMA),
            // extended statistics
            """
            SELECT n.nspname, concat_ws(%1$s, n.nspname, '5', s.stxname),
                   format('statistics %%I.%%I: %%s', n.nspname, s.stxname, pg_get_statisticsobjdef(s.oid))
            FROM pg_statistic_ext s
            JOIN pg_namespace n ON n.oid = s.stxnamespace
            WHERE %2$s
            """
                    .formatted(SEP, USER_SCHEMA),
            // default privileges, global (no schema) or for a schema
            """
            SELECT n.nspname, concat_ws(%1$s, coalesce(n.nspname, ''), '6', pg_get_userbyid(d.defaclrole), d.defaclobjtype),
                   format('default privileges of %%I%%s on %%s: %%s', pg_get_userbyid(d.defaclrole),
                          coalesce(format(' in schema %%I', n.nspname), ''),
                          CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences'
                                               WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types'
                                               WHEN 'n' THEN 'schemas' ELSE d.defaclobjtype::text END,
                          array_to_string(ARRAY(SELECT x::text FROM unnest(d.defaclacl) x ORDER BY 1), ' '))
            FROM pg_default_acl d
            LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
            WHERE n.oid IS NULL OR (%2$s)
            """
                    .formatted(SEP, USER_SCHEMA),
            // event triggers: of the database, in no schema
            """
            SELECT NULL, concat_ws(%1$s, '', '7', e.evtname),
                   format('event trigger %%I: ON %%s%%s EXECUTE FUNCTION %%s%%s', e.evtname, e.evtevent,
                          coalesce(' WHEN TAG IN (' || array_to_string(e.evttags, ', ') || ')', ''),
                          e.evtfoid::regprocedure,
                          CASE e.evtenabled WHEN 'D' THEN '; disabled' WHEN 'R' THEN '; enabled replica'
                                            WHEN 'A' THEN '; enabled always' ELSE '' END)
            FROM pg_event_trigger e
            """
                    .formatted(SEP));

    private CatalogFingerprint() {}

    /**
     * Describes the database of the connection, leaving out the system schemas and {@code
     * excludedSchemas} (typically the state schema, whose history rows a command is expected to change).
     */
    public static String of(Connection c, String... excludedSchemas) {
        Set<String> excluded = Set.of(excludedSchemas);
        List<String[]> facts = new ArrayList<>();
        try {
            Map<String, String> saved = set(c, RENDERING);
            try (Statement st = c.createStatement()) {
                for (String query : QUERIES) {
                    try (ResultSet rs = st.executeQuery(query)) {
                        while (rs.next()) {
                            String schema = rs.getString(1);
                            if (schema == null || !excluded.contains(schema)) {
                                facts.add(new String[] {rs.getString(2), escape(rs.getString(3))});
                            }
                        }
                    }
                }
            } finally {
                set(c, saved);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the catalog fingerprint: " + e.getMessage(), e);
        }
        facts.sort(Comparator.<String[], String>comparing(f -> f[0]).thenComparing(f -> f[1]));
        StringBuilder text = new StringBuilder();
        for (String[] fact : facts) {
            text.append(fact[1]).append('\n');
        }
        return text.toString();
    }

    /** Sets the session's settings and returns the values they replace. */
    private static Map<String, String> set(Connection c, Map<String, String> settings) throws SQLException {
        Map<String, String> previous = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT current_setting(?), set_config(?, ?, false)")) {
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                st.setString(1, setting.getKey());
                st.setString(2, setting.getKey());
                st.setString(3, setting.getValue());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    previous.put(setting.getKey(), rs.getString(1));
                }
            }
        }
        return previous;
    }

    /** One fact, one line: a comment or a default may hold line breaks. */
    private static String escape(String line) {
        return line.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    /** The privileges in effect, sorted: an ACL never set reads as its owner's default. */
    private static String acl(String column, String objectType, String owner) {
        return "array_to_string(ARRAY(SELECT x::text FROM unnest(coalesce(%s, acldefault((%s)::\"char\", %s))) x ORDER BY 1), ' ')"
                .formatted(column, objectType, owner);
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static String relationKind(String alias) {
        return ("CASE %1$s.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'"
                        + " WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table'"
                        + " WHEN 'c' THEN 'composite type' ELSE %1$s.relkind::text END")
                .formatted(alias);
    }
}
