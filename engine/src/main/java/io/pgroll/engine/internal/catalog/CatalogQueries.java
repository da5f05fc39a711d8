package io.pgroll.engine.internal.catalog;

import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.internal.sql.SqlExpressions;
import io.pgroll.engine.internal.sql.SqlStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

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

    /** A privilege on a table or column: {@code grantee} null for PUBLIC. */
    public record Grant(String grantee, String privilege, boolean grantable) {}

    /** A column and its type as {@code format_type} writes it. */
    public record TypedColumn(String name, String type) {}

    /** An identity column's sequence and kind ({@code a} ALWAYS, {@code d} BY DEFAULT). */
    public record IdentitySequence(String schema, String sequence, String kind) {}

    public boolean schemaExists(String name) throws SQLException {
        return exists("SELECT 1 WHERE to_regnamespace(quote_ident(?)) IS NOT NULL", name);
    }

    /** Whether a relation (table, index, sequence, view) of this name exists in the schema. */
    public boolean relationExists(String relation) throws SQLException {
        return exists("SELECT 1 WHERE " + RELATION + " IS NOT NULL", schema, relation);
    }

    /**
     * The table's indexes and the sequences it owns (serial and identity columns'), which keep their
     * names when the table is renamed: what must move with it to free its name. Kind {@code i} or {@code S}.
     */
    public List<OwnedRelation> ownedRelations(String table) throws SQLException {
        List<OwnedRelation> owned = new ArrayList<>();
        try (PreparedStatement ps = prepare(
                        """
                        SELECT c.relname, c.relkind::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                        WHERE i.indrelid = %s
                        UNION ALL
                        SELECT s.relname, s.relkind::text FROM pg_depend d
                        JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                        WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
                          AND d.deptype IN ('a', 'i') AND d.refobjid = %s
                        ORDER BY 1
                        """
                                .formatted(RELATION, RELATION),
                        schema,
                        table,
                        schema,
                        table);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                owned.add(new OwnedRelation(rs.getString(1), rs.getString(2)));
            }
        }
        return owned;
    }

    /** An index ({@code i}) or sequence ({@code S}) that belongs to a table. */
    public record OwnedRelation(String name, String kind) {}

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

    /**
     * Whether SQL fragments read the same whatever the session's {@code search_path}: none of their
     * names is that of a function, type, relation or collation outside {@code pg_catalog}, nor of a
     * built-in that reads the path or resolves a name at run time, and no operator outside {@code
     * pg_catalog} appears in them. Then they can only mean {@code pg_catalog}'s objects, on any path.
     * Over-approximated from the fragments' words: a false answer only costs pinning the path.
     */
    public boolean readsTheSameOnEveryPath(List<String> fragments) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        fragments.forEach(f -> names.addAll(SqlExpressions.names(f)));
        if (names.stream().anyMatch(n -> PATH_SENSITIVE.matcher(n).matches())) {
            return false;
        }
        String sql = "SELECT EXISTS (SELECT FROM pg_proc WHERE pronamespace <> 'pg_catalog'::regnamespace"
                + " AND proname = ANY (?))"
                + " OR EXISTS (SELECT FROM pg_type WHERE typnamespace <> 'pg_catalog'::regnamespace"
                + " AND typname = ANY (?))"
                + " OR EXISTS (SELECT FROM pg_class WHERE relnamespace <> 'pg_catalog'::regnamespace"
                + " AND relname = ANY (?))"
                + " OR EXISTS (SELECT FROM pg_collation WHERE collnamespace <> 'pg_catalog'::regnamespace"
                + " AND collname = ANY (?))"
                + " OR EXISTS (SELECT FROM pg_operator WHERE oprnamespace <> 'pg_catalog'::regnamespace"
                + " AND strpos(?, oprname) > 0)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            java.sql.Array array = connection.createArrayOf("text", names.toArray());
            for (int i = 1; i <= 4; i++) {
                ps.setArray(i, array);
            }
            ps.setString(5, String.join("\n", fragments));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return !rs.getBoolean(1);
            }
        }
    }

    /** Built-ins whose result depends on the path, or that resolve a name given as a string at run time. */
    private static final Pattern PATH_SENSITIVE = Pattern.compile(
            "reg\\w+|to_reg\\w+|current_schemas?|current_setting|set_config|format_type|pg_get_\\w+|pg_typeof"
                    + "|\\w+_is_visible|nextval|currval|setval|lastval|has_\\w+_privilege",
            Pattern.CASE_INSENSITIVE);

    /**
     * The other sessions that hold a lock on a table of the schema in a transaction open longer than
     * {@code age}, oldest first, each described for a person: process id, kind (an autovacuum worker;
     * nothing for a client), state, age, tables, query.
     */
    public List<String> lockHolders(Duration age) throws SQLException {
        String sql = "SELECT a.pid, coalesce(nullif(a.backend_type, 'client backend') || ', ', '') || a.state,"
                + " extract(epoch FROM now() - a.xact_start)::bigint,"
                + " string_agg(DISTINCT c.relname, ', '), left(a.query, 200)"
                + " FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.granted AND c.relnamespace = to_regnamespace(quote_ident(?)) AND c.relkind IN ('r', 'p')"
                + " AND a.pid <> pg_backend_pid() AND a.xact_start < now() - make_interval(secs => ?)"
                + " GROUP BY a.pid, a.backend_type, a.state, a.xact_start, a.query ORDER BY a.xact_start LIMIT 5";
        List<String> holders = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setDouble(2, age.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    holders.add("pid " + rs.getInt(1) + " (" + rs.getString(2) + ", transaction open " + rs.getLong(3)
                            + " s, locks on " + rs.getString(4) + "): "
                            + rs.getString(5).strip());
                }
            }
        }
        // pg_stat_activity hides another role's sessions, their age and their kind, from a role that is
        // neither a superuser nor a member of pg_read_all_stats: a least-privilege migrator
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT count(DISTINCT l.pid), current_user FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                        + " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.granted"
                        + " AND c.relnamespace = to_regnamespace(quote_ident(?)) AND c.relkind IN ('r', 'p')"
                        + " AND a.pid <> pg_backend_pid() AND a.backend_type IS NULL")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    holders.add(rs.getInt(1) + " session(s) that role " + rs.getString(2) + " may not see also hold"
                            + " locks on these tables (GRANT pg_read_all_stats TO " + rs.getString(2)
                            + " lets pgroll name them)");
                }
            }
        }
        return holders;
    }

    /**
     * The server's {@code deadlock_timeout}, if this session may set it for itself: a superuser may, and
     * from PostgreSQL 15 on a role granted {@code SET} on the parameter.
     */
    public static Optional<Duration> deadlockTimeoutWeMaySet(Connection connection) throws SQLException {
        long millis;
        boolean allowed;
        boolean grantable;
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT setting::bigint, current_setting('is_superuser') = 'on',"
                        + " current_setting('server_version_num')::int >= 150000"
                        + " FROM pg_settings WHERE name = 'deadlock_timeout'")) {
            rs.next();
            millis = rs.getLong(1);
            allowed = rs.getBoolean(2);
            grantable = rs.getBoolean(3);
        }
        if (!allowed && grantable) {
            try (Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery("SELECT has_parameter_privilege('deadlock_timeout', 'SET')")) {
                rs.next();
                allowed = rs.getBoolean(1);
            }
        }
        return allowed ? Optional.of(Duration.ofMillis(millis)) : Optional.empty();
    }

    /**
     * Every standby (and logical subscriber) streaming from this server, but base backups in progress,
     * with how far it is behind. A standby that has not reported a replay position yet is left out.
     */
    public List<MigrationListener.StandbyLag> standbyLags() throws SQLException {
        String sql = "SELECT coalesce(nullif(application_name, ''), 'pid ' || pid)"
                + " || coalesce(' at ' || host(client_addr), ''),"
                + " pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint,"
                + " coalesce(extract(epoch FROM replay_lag) * 1000, 0)::bigint"
                + " FROM pg_stat_replication WHERE state IS DISTINCT FROM 'backup' AND replay_lsn IS NOT NULL"
                + " ORDER BY 1";
        List<MigrationListener.StandbyLag> lags = new ArrayList<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                lags.add(new MigrationListener.StandbyLag(
                        rs.getString(1), Math.max(0, rs.getLong(2)), Duration.ofMillis(rs.getLong(3))));
            }
        }
        return lags;
    }

    /** Whether the current role sees the positions of standbys, which need pg_read_all_stats's privileges. */
    public boolean seesStandbyPositions() throws SQLException {
        return exists("SELECT 1 FROM pg_roles WHERE rolname = current_user"
                + " AND (rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'USAGE'))");
    }

    public String currentRole() throws SQLException {
        return strings("SELECT current_user").get(0);
    }

    /** The views of this schema, in name order. */
    public List<String> viewNames() throws SQLException {
        return strings(
                "SELECT relname FROM pg_class WHERE relnamespace = to_regnamespace(quote_ident(?)) AND relkind = 'v'"
                        + " ORDER BY relname",
                schema);
    }

    /**
     * What this schema holds besides the views named: relations (but their indexes), functions and
     * procedures, operators, collations and types of their own (not the row and array types PostgreSQL
     * makes with a relation or a type), each as PostgreSQL describes it ({@code view s.report}, {@code
     * function s.f(integer)}). For a version schema, what someone made there by hand.
     */
    public List<String> objectsOtherThanViews(Set<String> views) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                """
                WITH ns AS (SELECT to_regnamespace(quote_ident(?))::oid AS oid)
                SELECT pg_describe_object('pg_class'::regclass, c.oid, 0)
                  FROM pg_class c, ns
                 WHERE c.relnamespace = ns.oid AND c.relkind NOT IN ('i', 'I')
                   AND NOT (c.relkind = 'v' AND c.relname = ANY (?))
                UNION ALL
                SELECT pg_describe_object('pg_proc'::regclass, p.oid, 0) FROM pg_proc p, ns WHERE p.pronamespace = ns.oid
                UNION ALL
                SELECT pg_describe_object('pg_operator'::regclass, o.oid, 0)
                  FROM pg_operator o, ns WHERE o.oprnamespace = ns.oid
                UNION ALL
                SELECT pg_describe_object('pg_collation'::regclass, co.oid, 0)
                  FROM pg_collation co, ns WHERE co.collnamespace = ns.oid
                UNION ALL
                SELECT pg_describe_object('pg_type'::regclass, t.oid, 0)
                  FROM pg_type t, ns
                 WHERE t.typnamespace = ns.oid AND t.typrelid = 0 AND t.typtype <> 'm'
                   AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
                ORDER BY 1
                """)) {
            ps.setString(1, schema);
            ps.setArray(2, connection.createArrayOf("text", views.toArray()));
            List<String> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        }
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
                        + " AND a.attname = ?"
                        // by name: the statements made from them come in one order on every copy of a schema
                        + " ORDER BY c.relname",
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
                ORDER BY 1
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
    public List<Grant> columnGrants(String table, String column) throws SQLException {
        List<Grant> grants = new ArrayList<>();
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
                grants.add(new Grant(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
            }
        }
        return grants;
    }

    /** Whether an index of this name exists and is INVALID (what a failed CREATE INDEX CONCURRENTLY leaves). */
    public boolean indexIsInvalid(String index) throws SQLException {
        return exists("SELECT 1 FROM pg_index WHERE indexrelid = " + RELATION + " AND NOT indisvalid", schema, index);
    }

    /** The columns a constraint of the table is over, in the constraint's order. */
    public List<String> constraintColumns(String table, String constraint) throws SQLException {
        return strings(
                """
                SELECT a.attname
                FROM pg_constraint con
                JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, position) ON true
                JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                WHERE con.conrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND con.conname = ?
                ORDER BY k.position
                """,
                schema,
                table,
                constraint);
    }

    /**
     * The key a backfill walks: the primary key, else the narrowest valid unique index over NOT NULL
     * columns only (no expression, no predicate); empty when the table has none.
     */
    public List<TypedColumn> uniqueNotNullKey(String table) throws SQLException {
        List<TypedColumn> key = new ArrayList<>();
        long chosen = -1;
        try (PreparedStatement ps = prepare(
                        """
                        SELECT i.indexrelid, a.attname, format_type(a.atttypid, a.atttypmod)
                        FROM pg_index i
                        JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true
                        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                        WHERE i.indrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?))
                          AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
                          AND NOT EXISTS (
                              SELECT 1 FROM unnest(i.indkey) AS kk(attnum)
                              JOIN pg_attribute aa ON aa.attrelid = i.indrelid AND aa.attnum = kk.attnum
                              WHERE NOT aa.attnotnull OR kk.attnum = 0)
                        ORDER BY i.indisprimary DESC, i.indnatts, i.indexrelid, k.position
                        """,
                        schema,
                        table);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long index = rs.getLong(1);
                if (chosen == -1) {
                    chosen = index;
                }
                if (index != chosen) {
                    break;
                }
                key.add(new TypedColumn(rs.getString(2), rs.getString(3)));
            }
        }
        return key;
    }

    /** The sequence behind an identity column, if the column is one. */
    public Optional<IdentitySequence> identity(String table, String column) throws SQLException {
        try (PreparedStatement ps = prepare(
                        """
                        SELECT n.nspname, s.relname, a.attidentity
                        FROM pg_attribute a
                        JOIN pg_depend d ON d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND d.deptype = 'i'
                                        AND d.classid = 'pg_class'::regclass
                        JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                        JOIN pg_namespace n ON n.oid = s.relnamespace
                        WHERE a.attrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND a.attname = ?
                          AND a.attidentity <> ''
                        """,
                        schema,
                        table,
                        column);
                ResultSet rs = ps.executeQuery()) {
            return rs.next()
                    ? Optional.of(new IdentitySequence(rs.getString(1), rs.getString(2), rs.getString(3)))
                    : Optional.empty();
        }
    }

    /**
     * What a view standing for the table must grant: the table's privileges but its owner's (a view has
     * its own owner), and, when another role migrates, the table's owner's implicit rights.
     */
    public List<Grant> tableGrants(String table) throws SQLException {
        List<Grant> grants = new ArrayList<>();
        try (PreparedStatement ps = prepare(
                        """
                        SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END,
                               a.privilege_type, a.is_grantable
                        FROM pg_class c, aclexplode(c.relacl) a
                        WHERE c.oid = to_regclass(quote_ident(?) || '.' || quote_ident(?))
                          AND a.privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')
                          AND a.grantee <> c.relowner
                        UNION
                        -- the table's owner, when another role migrates: owners hold their rights implicitly
                        SELECT pg_get_userbyid(c.relowner), p.privilege, false
                        FROM pg_class c, unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p(privilege)
                        WHERE c.oid = to_regclass(quote_ident(?) || '.' || quote_ident(?))
                          AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
                        """,
                        schema,
                        table,
                        schema,
                        table);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                grants.add(new Grant(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
            }
        }
        return grants;
    }

    /**
     * The roles with USAGE on the schema (null for PUBLIC), and its owner when another role migrates:
     * who must get USAGE on a version schema to reach the same tables through it.
     */
    public List<String> schemaUsers() throws SQLException {
        return strings(
                """
                SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END
                FROM pg_namespace n, aclexplode(n.nspacl) a
                WHERE n.nspname = ? AND a.privilege_type = 'USAGE' AND a.grantee <> n.nspowner
                UNION
                SELECT pg_get_userbyid(n.nspowner) FROM pg_namespace n
                WHERE n.nspname = ? AND n.nspowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
                """,
                schema,
                schema);
    }

    public boolean rowSecurity(String table) throws SQLException {
        return exists("SELECT 1 FROM pg_class WHERE oid = " + RELATION + " AND relrowsecurity", schema, table);
    }

    /** The server's version as a number, e.g. 170011. */
    public int serverVersion() throws SQLException {
        try (PreparedStatement ps = prepare("SELECT current_setting('server_version_num')::int");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Why a column cannot be replaced by a copy, as far as the catalog tells. */
    public record ColumnTraits(boolean generatedOrPartitionKey, boolean inExclusionConstraint, boolean hasDefault) {}

    /** What the column-rewriting operations must know of a column before copying it; empty when it does not exist. */
    public Optional<ColumnTraits> columnTraits(String table, String column) throws SQLException {
        try (PreparedStatement ps = prepare(
                        """
                        SELECT a.attgenerated <> '' OR EXISTS (
                                   SELECT 1 FROM pg_partitioned_table p
                                   WHERE p.partrelid = a.attrelid AND a.attnum = ANY (p.partattrs)),
                               EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conrelid = a.attrelid
                                       AND con.contype = 'x' AND a.attnum = ANY (con.conkey)),
                               a.atthasdef
                        FROM pg_attribute a
                        WHERE a.attrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND a.attname = ?
                        """,
                        schema,
                        table,
                        column);
                ResultSet rs = ps.executeQuery()) {
            return rs.next()
                    ? Optional.of(new ColumnTraits(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3)))
                    : Optional.empty();
        }
    }

    /** Whether the server knows the type; throws for a name it cannot even parse. */
    public boolean typeExists(String type) throws SQLException {
        return exists("SELECT 1 WHERE to_regtype(?) IS NOT NULL", type);
    }

    /** A name as the server's {@code quote_ident} writes it: quoted only where it must be. */
    public String quotedAsServerDoes(String name) throws SQLException {
        return strings("SELECT quote_ident(?)", name).get(0);
    }

    /** One object that stands in the way, described for a person. */
    public record Dependent(String kind, String description) {}

    /**
     * What else in the database depends on a table or a column ({@code column} null: the whole table),
     * read from pg_depend: views (but those of {@code excludedSchemas}, the version schemas complete
     * drops first), materialized views, policies, triggers, functions, publications, generated columns
     * and other tables' foreign keys (those of this schema's tables left out when {@code
     * foreignKeysCarried}: a rewrite carries them over).
     */
    public List<Dependent> dependents(
            String table, String column, List<String> excludedSchemas, boolean foreignKeysCarried) throws SQLException {
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
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, column);
            ps.setString(4, column);
            ps.setArray(5, connection.createArrayOf("text", excludedSchemas.toArray()));
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

    /** A check, unique or primary key constraint as the catalog defines it; {@code type} is its contype. */
    public record ConstraintDefinition(
            String name,
            String type,
            String definition,
            String indexDefinition,
            boolean deferrable,
            boolean initiallyDeferred,
            boolean validated) {}

    /** An index as {@code pg_get_indexdef} writes it. */
    public record IndexDefinition(String name, String definition) {}

    /**
     * A foreign key of the schema that involves a table: {@code ofTable} when it is the table's own, {@code
     * referencesTable} when it references the table (both for a self-reference).
     */
    public record ForeignKeyDefinition(
            String name,
            String table,
            String definition,
            boolean ofTable,
            boolean referencesTable,
            boolean validated) {}

    /** The table's check, unique and primary key constraints over any of the columns (the tool's own left out). */
    public List<ConstraintDefinition> constraintsOverColumns(String table, List<String> columns) throws SQLException {
        List<ConstraintDefinition> found = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                """
                SELECT con.conname, con.contype, pg_get_constraintdef(con.oid), pg_get_indexdef(con.conindid),
                       con.condeferrable, con.condeferred, con.convalidated
                FROM pg_constraint con
                WHERE con.conrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?))
                  AND con.contype IN ('c', 'u', 'p')
                  AND con.conname NOT LIKE '\\_pgroll\\_%'
                  AND EXISTS (SELECT 1 FROM unnest(con.conkey) k
                              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k
                              WHERE a.attname = ANY (?))
                ORDER BY con.conname

                """)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setArray(3, connection.createArrayOf("text", columns.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new ConstraintDefinition(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getBoolean(5),
                            rs.getBoolean(6),
                            rs.getBoolean(7)));
                }
            }
        }
        return found;
    }

    /** The table's indexes that back no constraint and involve any of the columns, as keys or in expressions. */
    public List<IndexDefinition> plainIndexesOverColumns(String table, List<String> columns) throws SQLException {
        List<IndexDefinition> found = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                """
                SELECT c.relname, pg_get_indexdef(i.indexrelid)
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?))
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)
                  AND c.relname NOT LIKE '\\_pgroll\\_%'
                  AND (EXISTS (SELECT 1 FROM unnest(i.indkey) k
                               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k
                               WHERE a.attname = ANY (?))
                       OR EXISTS (SELECT 1 FROM pg_depend d
                                  JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                                  WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid
                                    AND d.refobjid = i.indrelid AND a.attname = ANY (?)))
                ORDER BY c.relname

                """)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setArray(3, connection.createArrayOf("text", columns.toArray()));
            ps.setArray(4, connection.createArrayOf("text", columns.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new IndexDefinition(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return found;
    }

    /** The schema's foreign keys from or to any of the table's columns (the tool's own left out). */
    public List<ForeignKeyDefinition> foreignKeysOverColumns(String table, List<String> columns) throws SQLException {
        List<ForeignKeyDefinition> found = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                """
                SELECT con.conname, c.relname, pg_get_constraintdef(con.oid), con.conrelid = t.rel, con.confrelid = t.rel,
                       con.convalidated
                FROM pg_constraint con
                JOIN pg_class c ON c.oid = con.conrelid
                CROSS JOIN (SELECT to_regclass(quote_ident(?) || '.' || quote_ident(?)) AS rel) t
                WHERE con.contype = 'f' AND con.conname NOT LIKE '\\_pgroll\\_%'
                  AND c.relnamespace = to_regnamespace(quote_ident(?))
                  AND ((con.conrelid = t.rel AND EXISTS (
                          SELECT 1 FROM unnest(con.conkey) k JOIN pg_attribute a ON a.attrelid = con.conrelid
                          AND a.attnum = k WHERE a.attname = ANY (?)))
                    OR (con.confrelid = t.rel AND EXISTS (
                          SELECT 1 FROM unnest(con.confkey) k JOIN pg_attribute a ON a.attrelid = con.confrelid
                          AND a.attnum = k WHERE a.attname = ANY (?))))
                ORDER BY c.relname, con.conname

                """)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, schema);
            ps.setArray(4, connection.createArrayOf("text", columns.toArray()));
            ps.setArray(5, connection.createArrayOf("text", columns.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new ForeignKeyDefinition(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getBoolean(4),
                            rs.getBoolean(5),
                            rs.getBoolean(6)));
                }
            }
        }
        return found;
    }

    /** The sequences a column owns (a serial's), as {@code regclass} text: quoted as needed, qualified if needed. */
    public List<String> ownedSequences(String table, String column) throws SQLException {
        return strings(
                """
                SELECT s.oid::regclass::text
                FROM pg_depend d
                JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'a'
                  AND d.refobjid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND a.attname = ?
                ORDER BY 1
                """,
                schema,
                table,
                column);
    }

    /**
     * Whether PostgreSQL would rewrite a table to add a column of this type with this default (a
     * volatile default, a domain with constraints, serial). Asked of the server by experiment, on an
     * empty temporary table whose storage changes if it is rewritten, in a transaction rolled back: with
     * no row, not even a volatile default (nextval) is evaluated. {@code type} and {@code defaultValue}
     * are the migration's own SQL fragments.
     */
    public boolean addingColumnRewrites(String type, String defaultValue) throws SQLException {
        String storage = "SELECT relfilenode FROM pg_class WHERE oid = 'pg_temp._pgroll_default_probe'::regclass";
        return experiment(st -> {
            st.execute("CREATE TEMPORARY TABLE _pgroll_default_probe (x int)");
            long before = singleLong(st, storage);
            st.execute("ALTER TABLE _pgroll_default_probe ADD COLUMN probe " + type
                    + (defaultValue == null ? "" : " DEFAULT " + defaultValue));
            return singleLong(st, storage) != before;
        });
    }

    /**
     * Whether a default or a check still fits once some of the table's columns have new types (a text
     * default of {@code 'abc'}, or {@code length(col) < 3}, cannot follow a column to integer). Asked by
     * experiment, in a transaction rolled back, on an empty temporary table of the table's shape with
     * those columns retyped: the server parses the clause against the new types.
     */
    public boolean fitsRetyped(String table, Map<String, String> newTypes, String alteration) throws SQLException {
        return experiment(st -> {
            st.execute("CREATE TEMPORARY TABLE _pgroll_type_probe (LIKE " + Sql.qualified(schema, table) + ")");
            for (Map.Entry<String, String> retyped : newTypes.entrySet()) {
                st.execute("ALTER TABLE _pgroll_type_probe ALTER COLUMN " + Sql.ident(retyped.getKey()) + " TYPE "
                        + retyped.getValue() + " USING NULL");
            }
            try {
                st.execute("ALTER TABLE _pgroll_type_probe " + alteration);
                return true;
            } catch (SQLException e) {
                // only the server's verdict on the clause (class 42: it does not parse or type-check)
                if (e.getSQLState() == null || !e.getSQLState().startsWith("42")) {
                    throw e;
                }
                return false;
            }
        });
    }

    /**
     * What the server finds wrong with an SQL expression evaluated over a row of the given columns
     * (name to type), with the target schema first on the path, as the triggers evaluate it; empty when
     * nothing is, or when the row itself cannot be formed (a type made by the migration's own SQL).
     */
    public Optional<ExpressionProblem> expressionProblem(String expression, Map<String, String> row)
            throws SQLException {
        String select = "SELECT "
                + String.join(
                        ", ",
                        row.entrySet().stream()
                                .map(c -> "CAST(NULL AS " + c.getValue() + ") AS " + Sql.ident(c.getKey()))
                                .toList());
        if (explainProblem("SELECT * FROM (" + select + ") AS r").isPresent()) {
            return Optional.empty();
        }
        return explainProblem("SELECT (" + expression + ") FROM (" + select + ") AS r");
    }

    /** What the server said of an expression, and its SQLState. */
    public record ExpressionProblem(String sqlState, String message) {}

    private Optional<ExpressionProblem> explainProblem(String query) throws SQLException {
        return experiment(st -> {
            st.execute("SET LOCAL search_path TO " + Sql.ident(schema) + ", pg_catalog, pg_temp");
            try {
                st.execute("EXPLAIN " + query);
                return Optional.<ExpressionProblem>empty();
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                // syntax, names, types (class 42), a constant that does not convert (22), what is not supported (0A)
                if (!state.startsWith("42") && !state.startsWith("22") && !state.startsWith("0A")) {
                    throw e;
                }
                String message =
                        String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                return Optional.of(new ExpressionProblem(state, message.replaceFirst("^ERROR: ", "")));
            }
        });
    }

    /** Runs statements in a transaction that is always rolled back: questions asked of the server by trying. */
    private <T> T experiment(Experiment<T> experiment) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            return experiment.run(st);
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    @FunctionalInterface
    private interface Experiment<T> {
        T run(Statement statement) throws SQLException;
    }

    private static long singleLong(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The planner's estimate of the table's rows; empty until the table was first analysed. */
    public OptionalLong rowEstimate(String table) throws SQLException {
        try (PreparedStatement ps = prepare(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = " + RELATION + " AND reltuples >= 0",
                        schema,
                        table);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        }
    }

    /** Whether the table is partitioned or has child tables (its own pages then hold none of their rows). */
    public boolean hasChildTables(String table) throws SQLException {
        return exists(
                "SELECT 1 FROM pg_class WHERE oid = " + RELATION + " AND (relkind IN ('p', 'I') OR relhassubclass)",
                schema,
                table);
    }

    /** The table's size in pages. */
    public long pages(String table) throws SQLException {
        try (PreparedStatement ps = prepare(
                        "SELECT pg_relation_size(" + RELATION + ") / current_setting('block_size')::int",
                        schema,
                        table);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column an UPDATE may assign: not generated, not an identity GENERATED ALWAYS. */
    public Optional<String> firstAssignableColumn(String table) throws SQLException {
        List<String> columns = strings(
                "SELECT attname FROM pg_attribute WHERE attrelid = " + RELATION + " AND attnum > 0 AND NOT attisdropped"
                        + " AND attgenerated = '' AND attidentity <> 'a' ORDER BY attnum LIMIT 1",
                schema,
                table);
        return columns.stream().findFirst();
    }

    /** A table's replica identity: {@code kind} is relreplident (d, n, f, i), {@code index} its index for i. */
    public record ReplicaIdentity(String kind, String index) {}

    public ReplicaIdentity replicaIdentity(String table) throws SQLException {
        try (PreparedStatement ps = prepare(
                        """
                        SELECT c.relreplident::text,
                               (SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                                WHERE i.indrelid = c.oid AND i.indisreplident)
                        FROM pg_class c WHERE c.oid = to_regclass(quote_ident(?) || '.' || quote_ident(?))
                        """,
                        schema,
                        table);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("table \"" + table + "\" does not exist", SqlStates.UNDEFINED_TABLE);
            }
            return new ReplicaIdentity(rs.getString(1), rs.getString(2));
        }
    }

    /** A lock this session holds on a table of the schema: {@code mode} as pg_locks names it. */
    public record TableLock(String table, String mode) {}

    /** The locks this session holds, granted, on the schema's tables. */
    public List<TableLock> tableLocksHeld() throws SQLException {
        List<TableLock> locks = new ArrayList<>();
        try (PreparedStatement ps = prepare(
                        """
                        SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                        WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
                          AND c.relkind IN ('r', 'p') AND c.relnamespace = to_regnamespace(quote_ident(?))
                        ORDER BY c.relname, l.mode
                        """,
                        schema);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                locks.add(new TableLock(rs.getString(1), rs.getString(2)));
            }
        }
        return locks;
    }

    /**
     * A table's storage and how often this transaction scanned it: a statement that changes the file
     * node rewrote the table, one that adds to the scans read all of it.
     */
    public record TableFile(long fileNode, long scans) {}

    /** The schema's tables' {@link TableFile}s, by name. */
    public Map<String, TableFile> tableFiles() throws SQLException {
        Map<String, TableFile> files = new HashMap<>();
        try (PreparedStatement ps = prepare(
                        """
                        SELECT c.relname, c.relfilenode, coalesce(s.seq_scan, 0)
                        FROM pg_class c LEFT JOIN pg_stat_xact_user_tables s ON s.relid = c.oid
                        WHERE c.relkind IN ('r', 'p') AND c.relnamespace = to_regnamespace(quote_ident(?))
                        """,
                        schema);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                files.put(rs.getString(1), new TableFile(rs.getLong(2), rs.getLong(3)));
            }
        }
        return files;
    }

    /** The table of an index of the schema. */
    public Optional<String> tableOfIndex(String index) throws SQLException {
        return strings(
                        "SELECT t.relname FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE i.indexrelid = "
                                + RELATION,
                        schema,
                        index)
                .stream()
                .findFirst();
    }

    /** The schema's tables' names by OID. */
    public Map<Long, String> tablesByOid() throws SQLException {
        Map<Long, String> tables = new HashMap<>();
        try (PreparedStatement ps = prepare(
                        "SELECT oid, relname FROM pg_class WHERE relkind IN ('r', 'p')"
                                + " AND relnamespace = to_regnamespace(quote_ident(?))",
                        schema);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.put(rs.getLong(1), rs.getString(2));
            }
        }
        return tables;
    }

    /** Every schema of the database. */
    public List<String> schemaNames() throws SQLException {
        return strings("SELECT nspname FROM pg_namespace ORDER BY nspname");
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
