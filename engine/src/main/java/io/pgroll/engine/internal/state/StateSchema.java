package io.pgroll.engine.internal.state;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.internal.catalog.SchemaReader;
import io.pgroll.engine.internal.sql.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Installs and upgrades the state schema: pgroll's history tables and functions, and ours beside them. */
public final class StateSchema {
    /** What this tool writes into pgroll_version: the pgroll release whose state layout it keeps. */
    public static final String STATE_VERSION = "0.14.0";

    private final String stateSchema;

    public StateSchema(String stateSchema) {
        this.stateSchema = stateSchema;
    }

    /**
     * Creates or upgrades the state schema; idempotent. Returns false when the role is not a superuser,
     * in which case the event triggers that record DDL made outside the tool are not installed.
     */
    public boolean install(Connection c) throws SQLException {
        boolean superuser = isSuperuser(c);
        install(c, superuser);
        return superuser;
    }

    /**
     * Creates the state schema without the event triggers: a rehearsal's own state, whose triggers would
     * otherwise see every DDL statement of the database while it lives.
     */
    public void installWithoutEventTriggers(Connection c) throws SQLException {
        install(c, false);
    }

    private void install(Connection c, boolean withEventTriggers) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            // Serialise concurrent inits: CREATE ... IF NOT EXISTS is not safe against a concurrent twin.
            st.execute("SELECT pg_advisory_xact_lock(hashtext(" + Sql.literal("pgroll-init:" + stateSchema) + "))");
            st.execute("SET LOCAL pgroll.no_inferred_migrations = 'TRUE'");
            for (String sql : script("init.sql")) {
                st.execute(sql);
            }
            st.execute(SchemaReader.functionSql(stateSchema));
            if (withEventTriggers) {
                for (String sql : script("inferred.sql")) {
                    st.execute(sql);
                }
            }
            String versions = Sql.qualified(stateSchema, "pgroll_version");
            st.execute("INSERT INTO " + versions + " (version) SELECT " + Sql.literal(STATE_VERSION)
                    + " WHERE NOT EXISTS (SELECT 1 FROM " + versions + ")");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Copies the history of schema {@code from} in state schema {@code source} into this state schema, as
     * the history of schema {@code to}: a rehearsal then completes as the real schema would (dropping the
     * previous version's schema).
     */
    public void copyHistory(Connection c, String source, String from, String to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Sql.qualified(stateSchema, "migrations")
                + " (schema, name, migration, created_at, updated_at, parent, done, resulting_schema, migration_type)"
                + " SELECT ?, name, migration, created_at, updated_at, parent, done, resulting_schema, migration_type"
                + " FROM " + Sql.qualified(source, "migrations") + " WHERE schema = ?")) {
            ps.setString(1, to);
            ps.setString(2, from);
            ps.executeUpdate();
        }
    }

    public boolean isInstalled(Connection c) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT to_regclass(quote_ident(?) || '.migrations') IS NOT NULL")) {
            ps.setString(1, stateSchema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public void requireInstalled(Connection c) throws SQLException {
        if (!isInstalled(c)) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    "The state schema \"" + stateSchema + "\" does not exist in this database. Run `pgroll init` "
                            + "first (or pass --pgroll-schema if the history is kept in another schema).");
        }
    }

    private static boolean isSuperuser(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private List<String> script(String resource) {
        try (InputStream in = StateSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{state_schema}", Sql.ident(stateSchema));
            List<String> statements = new ArrayList<>();
            for (String part : text.split("(?m)^--;\\s*$")) {
                String sql = part.strip();
                if (!sql.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
                    statements.add(sql);
                }
            }
            return statements;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
