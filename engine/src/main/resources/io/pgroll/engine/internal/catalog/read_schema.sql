-- read_schema(schemaname): the catalog of one schema as JSON, in the layout pgroll documents for
-- the `resulting_schema` column of its migrations table (pgroll's own tools read what we store).
--
-- Tables are the ordinary and partitioned tables of the schema (relkind r and p); partitions are
-- ordinary tables of the schema and are listed too, as pgroll lists them. Views, materialized views
-- and foreign tables are not.
--
-- Keys beyond pgroll's layout, for this tool's own use (pgroll ignores keys it does not know):
--   per column: position (attnum; jsonb does not keep key order, so this is how readers restore
--               the column order), identity ('a', 'd' or null), generated ('s', 'v' or null),
--               generationExpression;
--   per table:  replicaIdentity ('d', 'n', 'f', 'i'), replicaIdentityIndex, primaryKeyName;
--   per foreign key: deferrable, initiallyDeferred.
--
-- Works unchanged on PostgreSQL 14 to 18: it reads only catalog columns that all of them have.
-- The function's schema is a placeholder that SchemaReader.functionSql fills with the quoted name
-- of the state schema.
CREATE OR REPLACE FUNCTION {state_schema}.read_schema(schemaname text) RETURNS jsonb
    LANGUAGE plpgsql
    STABLE
    -- The SET clauses hold for this call only. The search_path one also makes the set_config below
    -- local to the call (set_config(..., true) would otherwise last until commit). The others make
    -- constants in defaults and predicates (a timestamptz, an interval) read the same for every caller.
    SET search_path = pg_catalog, pg_temp
    SET "TimeZone" = 'UTC'
    SET "DateStyle" = 'ISO, MDY'
    SET "IntervalStyle" = 'postgres'
    SET extra_float_digits = 1
AS
$read_schema$
DECLARE
    result jsonb;
BEGIN
    -- Types, defaults and expressions are rendered as seen from inside the schema itself (its own
    -- objects unqualified, others qualified), whatever the caller's search_path: the result must
    -- not depend on who asks, and this is how pgroll, which runs with the target schema on its
    -- search_path, renders them.
    PERFORM pg_catalog.set_config(
            'search_path',
            COALESCE(pg_catalog.quote_ident(schemaname) || ', ', '') || 'pg_catalog, pg_temp',
            true);

    SELECT pg_catalog.jsonb_build_object(
                   'name', schemaname,
                   'tables', COALESCE(pg_catalog.jsonb_object_agg(t.relname, t.doc), '{}'::jsonb))
    INTO result
    FROM (SELECT c.relname,
                 pg_catalog.jsonb_build_object(
                         'oid', c.oid::text,
                         'name', c.relname,
                         'comment', pg_catalog.obj_description(c.oid, 'pg_class'),
                         'columns', (SELECT COALESCE(pg_catalog.jsonb_object_agg(a.attname, pg_catalog.jsonb_build_object(
                                 'name', a.attname,
                                 'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
                                 'default', CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END,
                                 -- a NOT NULL domain makes the column as non-nullable as attnotnull does
                                 'nullable', NOT (a.attnotnull OR (ty.typtype = 'd' AND ty.typnotnull)),
                                 -- unique: a valid, non-partial unique index (every unique constraint
                                 -- has one) whose only key column is this one
                                 'unique', EXISTS (SELECT 1
                                                   FROM pg_catalog.pg_index ui
                                                   WHERE ui.indrelid = a.attrelid
                                                     AND ui.indisunique
                                                     AND ui.indisvalid
                                                     AND ui.indpred IS NULL
                                                     AND ui.indnkeyatts = 1
                                                     AND ui.indkey[0] = a.attnum),
                                 'comment', pg_catalog.col_description(a.attrelid, a.attnum),
                                 'enumValues', CASE
                                                   WHEN ty.typtype = 'e' THEN
                                                       (SELECT pg_catalog.jsonb_agg(e.enumlabel ORDER BY e.enumsortorder)
                                                        FROM pg_catalog.pg_enum e
                                                        WHERE e.enumtypid = ty.oid)
                                     END,
                                 'postgresType', CASE ty.typtype
                                                     WHEN 'b' THEN 'base'
                                                     WHEN 'c' THEN 'composite'
                                                     WHEN 'd' THEN 'domain'
                                                     WHEN 'e' THEN 'enum'
                                                     WHEN 'p' THEN 'pseudo'
                                                     WHEN 'r' THEN 'range'
                                                     WHEN 'm' THEN 'multirange'
                                     END,
                                 'position', a.attnum,
                                 'identity', NULLIF(a.attidentity::text, ''),
                                 'generated', NULLIF(a.attgenerated::text, ''),
                                 'generationExpression', CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END
                                                                                )), '{}'::jsonb)
                                     FROM pg_catalog.pg_attribute a
                                              JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
                                              LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                                     WHERE a.attrelid = c.oid
                                       AND a.attnum > 0
                                       AND NOT a.attisdropped),
                         'primaryKey', COALESCE((SELECT pg_catalog.jsonb_agg(a.attname ORDER BY k.ord)
                                                 FROM pg_catalog.pg_constraint pk
                                                          CROSS JOIN LATERAL pg_catalog.unnest(pk.conkey) WITH ORDINALITY AS k (attnum, ord)
                                                          JOIN pg_catalog.pg_attribute a ON a.attrelid = pk.conrelid AND a.attnum = k.attnum
                                                 WHERE pk.conrelid = c.oid
                                                   AND pk.contype = 'p'), '[]'::jsonb),
                         'primaryKeyName', (SELECT pk.conname
                                            FROM pg_catalog.pg_constraint pk
                                            WHERE pk.conrelid = c.oid
                                              AND pk.contype = 'p'),
                         'indexes', (SELECT COALESCE(pg_catalog.jsonb_object_agg(ic.relname, pg_catalog.jsonb_build_object(
                                 'name', ic.relname,
                                 'unique', i.indisunique,
                                 'exclusionConstraint', i.indisexclusion,
                                 -- key columns only (not INCLUDE ones); an expression as its text
                                 'columns', COALESCE((SELECT pg_catalog.jsonb_agg(
                                                                     CASE
                                                                         WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, true)
                                                                         ELSE a.attname::text
                                                                         END ORDER BY k.ord)
                                                      FROM pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, ord)
                                                               LEFT JOIN pg_catalog.pg_attribute a
                                                                         ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                                                      WHERE k.ord <= i.indnkeyatts), '[]'::jsonb),
                                 'predicate', pg_catalog.pg_get_expr(i.indpred, i.indrelid),
                                 'method', am.amname,
                                 'definition', pg_catalog.pg_get_indexdef(i.indexrelid)
                                                                                 )), '{}'::jsonb)
                                     FROM pg_catalog.pg_index i
                                              JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                                              JOIN pg_catalog.pg_am am ON am.oid = ic.relam
                                     WHERE i.indrelid = c.oid),
                         'checkConstraints', (SELECT COALESCE(pg_catalog.jsonb_object_agg(k.conname, pg_catalog.jsonb_build_object(
                                 'name', k.conname,
                                 'columns', COALESCE((SELECT pg_catalog.jsonb_agg(a.attname ORDER BY ck.ord)
                                                      FROM pg_catalog.unnest(k.conkey) WITH ORDINALITY AS ck (attnum, ord)
                                                               JOIN pg_catalog.pg_attribute a
                                                                    ON a.attrelid = k.conrelid AND a.attnum = ck.attnum), '[]'::jsonb),
                                 'definition', pg_catalog.pg_get_constraintdef(k.oid),
                                 'noInherit', k.connoinherit
                                                                                          )), '{}'::jsonb)
                                              FROM pg_catalog.pg_constraint k
                                              WHERE k.conrelid = c.oid
                                                AND k.contype = 'c'),
                         'uniqueConstraints', (SELECT COALESCE(pg_catalog.jsonb_object_agg(k.conname, pg_catalog.jsonb_build_object(
                                 'name', k.conname,
                                 'columns', COALESCE((SELECT pg_catalog.jsonb_agg(a.attname ORDER BY ck.ord)
                                                      FROM pg_catalog.unnest(k.conkey) WITH ORDINALITY AS ck (attnum, ord)
                                                               JOIN pg_catalog.pg_attribute a
                                                                    ON a.attrelid = k.conrelid AND a.attnum = ck.attnum), '[]'::jsonb)
                                                                                           )), '{}'::jsonb)
                                               FROM pg_catalog.pg_constraint k
                                               WHERE k.conrelid = c.oid
                                                 AND k.contype = 'u'),
                         'foreignKeys', (SELECT COALESCE(pg_catalog.jsonb_object_agg(k.conname, pg_catalog.jsonb_build_object(
                                 'name', k.conname,
                                 'columns', COALESCE((SELECT pg_catalog.jsonb_agg(a.attname ORDER BY ck.ord)
                                                      FROM pg_catalog.unnest(k.conkey) WITH ORDINALITY AS ck (attnum, ord)
                                                               JOIN pg_catalog.pg_attribute a
                                                                    ON a.attrelid = k.conrelid AND a.attnum = ck.attnum), '[]'::jsonb),
                                 'referencedTable', rc.relname,
                                 'referencedColumns', COALESCE((SELECT pg_catalog.jsonb_agg(a.attname ORDER BY ck.ord)
                                                                FROM pg_catalog.unnest(k.confkey) WITH ORDINALITY AS ck (attnum, ord)
                                                                         JOIN pg_catalog.pg_attribute a
                                                                              ON a.attrelid = k.confrelid AND a.attnum = ck.attnum), '[]'::jsonb),
                                 'onDelete', CASE k.confdeltype
                                                 WHEN 'a' THEN 'NO ACTION'
                                                 WHEN 'r' THEN 'RESTRICT'
                                                 WHEN 'c' THEN 'CASCADE'
                                                 WHEN 'n' THEN 'SET NULL'
                                                 WHEN 'd' THEN 'SET DEFAULT'
                                     END,
                                 'onUpdate', CASE k.confupdtype
                                                 WHEN 'a' THEN 'NO ACTION'
                                                 WHEN 'r' THEN 'RESTRICT'
                                                 WHEN 'c' THEN 'CASCADE'
                                                 WHEN 'n' THEN 'SET NULL'
                                                 WHEN 'd' THEN 'SET DEFAULT'
                                     END,
                                 'matchType', CASE k.confmatchtype
                                                  WHEN 'f' THEN 'FULL'
                                                  WHEN 'p' THEN 'PARTIAL'
                                                  ELSE 'SIMPLE'
                                     END,
                                 'deferrable', k.condeferrable,
                                 'initiallyDeferred', k.condeferred
                                                                                     )), '{}'::jsonb)
                                         FROM pg_catalog.pg_constraint k
                                                  JOIN pg_catalog.pg_class rc ON rc.oid = k.confrelid
                                         WHERE k.conrelid = c.oid
                                           AND k.contype = 'f'
                                           -- A foreign key that references a partitioned table has
                                           -- one clone per referenced partition, with the same name
                                           -- and the same referencing table: keep only the original.
                                           AND NOT EXISTS (SELECT 1
                                                           FROM pg_catalog.pg_constraint parent
                                                           WHERE parent.oid = k.conparentid
                                                             AND parent.conrelid = k.conrelid)),
                         'excludeConstraints', (SELECT COALESCE(pg_catalog.jsonb_object_agg(k.conname, pg_catalog.jsonb_build_object(
                                 'name', k.conname,
                                 'indexMethod', am.amname,
                                 'predicate', pg_catalog.pg_get_expr(i.indpred, i.indrelid),
                                 'definition', pg_catalog.pg_get_constraintdef(k.oid)
                                                                                            )), '{}'::jsonb)
                                                FROM pg_catalog.pg_constraint k
                                                         JOIN pg_catalog.pg_index i ON i.indexrelid = k.conindid
                                                         JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                                                         JOIN pg_catalog.pg_am am ON am.oid = ic.relam
                                                WHERE k.conrelid = c.oid
                                                  AND k.contype = 'x'),
                         'replicaIdentity', c.relreplident::text,
                         'replicaIdentityIndex', (SELECT ric.relname
                                                  FROM pg_catalog.pg_index ri
                                                           JOIN pg_catalog.pg_class ric ON ric.oid = ri.indexrelid
                                                  WHERE ri.indrelid = c.oid
                                                    AND ri.indisreplident)
                 ) AS doc
          FROM pg_catalog.pg_class c
                   JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = schemaname
            AND c.relkind IN ('r', 'p')) AS t;

    RETURN result;
END;
$read_schema$;
