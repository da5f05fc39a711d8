package io.pgroll.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Opens pinned connections through a pgJDBC driver: resolves {@code pgrollVersion} to a version schema,
 * opens the physical connection with that schema as its {@code search_path}, validates it once and
 * wraps it. Shared by the driver, the data source and the agent; each owns one, with its own cache.
 */
final class Pinning {
    /** How long a resolution of {@code latest}, or of a name the history mapped elsewhere, is reused. */
    static final Duration CACHE_TTL = Duration.ofSeconds(2);

    /** pgJDBC's property that becomes the startup packet's {@code search_path}. */
    private static final String CURRENT_SCHEMA = "currentSchema";

    private final ResolutionCache cache;
    private final ClasspathMigrations classpath = new ClasspathMigrations();

    Pinning() {
        this(new ResolutionCache(CACHE_TTL));
    }

    Pinning(ResolutionCache cache) {
        this.cache = cache;
    }

    /** The version schema to pin to, the name to look up in the history, and where a correction is cached. */
    private record Target(String versionSchema, String requested, String cacheKey) {
        Target to(String other) {
            return new Target(other, requested, cacheKey);
        }
    }

    /**
     * A connection pinned as {@code settings} say.
     *
     * @param postgres the pgJDBC driver that opens the physical connection
     * @param request the URL asked for
     * @param properties pgJDBC's properties, without ours
     */
    Connection connect(Driver postgres, DriverUrl request, Properties properties, PinSettings settings)
            throws SQLException {
        refuseConflicts(request.postgresParameters(), settings);
        refuseConflicts(properties, settings);
        String url = request.postgresUrl();
        Target target = resolve(postgres, url, properties, settings);
        for (int attempt = 0; ; attempt++) {
            Connection physical = open(postgres, url, properties, settings, target.versionSchema());
            try {
                boolean pinnedBySet = settings.pinMode() == PinSettings.PinMode.STATEMENT;
                if (settings.validate()) {
                    VersionState state =
                            VersionState.read(physical, settings, target.requested(), target.versionSchema());
                    String correction = check(state, settings, target);
                    if (correction != null && attempt == 0) {
                        // The history says the name means another live version schema (a migration with a
                        // version_schema of its own, or `latest` moved on): reconnect once, pinned right.
                        cache.put(target.cacheKey(), correction);
                        physical.close();
                        target = target.to(correction);
                        continue;
                    } else if (correction != null) {
                        throw notFound(state, settings, target);
                    }
                    pinnedBySet |= checkSearchPath(physical, state, settings, target.versionSchema());
                }
                return new PinnedConnection(physical, target.versionSchema(), settings.schema(), pinnedBySet);
            } catch (SQLException | RuntimeException | Error e) {
                closeAfterFailure(physical, e);
                throw e;
            }
        }
    }

    /** Two pins cannot both hold: refuse rather than let one silently win. */
    private static void refuseConflicts(Properties properties, PinSettings settings) throws SQLException {
        String options = properties.getProperty("options", "");
        if (properties.getProperty(CURRENT_SCHEMA) != null
                || options.toLowerCase(Locale.ROOT).contains("search_path")) {
            throw PgrollProperty.invalid(settings.describe() + " pins the search_path, so it cannot be combined with "
                    + (properties.getProperty(CURRENT_SCHEMA) != null
                            ? CURRENT_SCHEMA + "=" + properties.getProperty(CURRENT_SCHEMA)
                            : "options=" + options)
                    + ": remove that property");
        }
    }

    private Target resolve(Driver postgres, String url, Properties properties, PinSettings settings)
            throws SQLException {
        String key = String.join(
                "\0",
                url,
                settings.schema(),
                settings.stateSchema(),
                settings.version().text());
        if (settings.version() instanceof VersionSpec.Named named) {
            String learned = cache.get(key);
            return new Target(learned != null ? learned : named.guess(settings.schema()), named.name(), key);
        }
        if (settings.version() instanceof VersionSpec.Classpath dir) {
            // the newest file's migration name resolves as a name in the URL would
            VersionSpec.Named newest = new VersionSpec.Named(classpath.newest(classLoader(), dir.directory()));
            String learned = cache.get(key);
            return new Target(learned != null ? learned : newest.guess(settings.schema()), newest.name(), key);
        }
        String latest = cache.get(key);
        if (latest == null) {
            latest = resolveLatest(postgres, url, properties, settings);
            cache.put(key, latest);
        }
        return new Target(latest, null, key);
    }

    /**
     * {@code latest} is looked up on a connection of its own, closed at once: the pinned connection must
     * carry its pin from the startup packet, which is sent before any query can run.
     */
    private static String resolveLatest(Driver postgres, String url, Properties properties, PinSettings settings)
            throws SQLException {
        try (Connection c = open(postgres, url, properties, settings, null)) {
            VersionState state = VersionState.read(c, settings, null, null);
            List<String> live = state.live();
            if (live.isEmpty()) {
                throw new SQLException(
                        settings.describe() + ": " + state.describeLive() + " in database \"" + c.getCatalog()
                                + "\". Start a migration (`pgroll start`) before connecting with "
                                + settings.describe() + ", or leave " + PgrollProperty.VERSION.getName()
                                + " out to use the schema unpinned.",
                        SqlStates.INVALID_SCHEMA_NAME);
            }
            return live.get(0);
        }
    }

    /** The class loader whose classpath {@code classpath:} reads: the application's. */
    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Pinning.class.getClassLoader();
    }

    private static Connection open(
            Driver postgres, String url, Properties properties, PinSettings settings, String versionSchema)
            throws SQLException {
        Properties pgjdbc = new Properties();
        pgjdbc.putAll(properties);
        boolean startup = settings.pinMode() == PinSettings.PinMode.STARTUP;
        if (versionSchema != null && startup) {
            pgjdbc.setProperty(CURRENT_SCHEMA, Identifiers.quoteIdent(versionSchema));
        }
        Connection physical = postgres.connect(url, pgjdbc);
        if (physical == null) {
            throw new SQLException(
                    "pgJDBC does not accept the URL " + url
                            + ": after jdbc:pgroll: comes what pgJDBC takes after jdbc:,"
                            + " e.g. jdbc:pgroll:postgresql://host:5432/db?pgrollVersion=latest",
                    SqlStates.CONNECTION_UNABLE);
        }
        if (versionSchema != null && !startup) {
            try {
                setSearchPath(physical, versionSchema);
            } catch (SQLException | RuntimeException e) {
                closeAfterFailure(physical, e);
                throw e;
            }
        }
        return physical;
    }

    /**
     * Sets the pin with a statement. Run only in autocommit, at connect time or right after a statement
     * that reset it: a {@code SET} made inside a transaction that rolls back is undone (HikariCP #1633).
     * The name is quoted and the server renders it as {@code quote_ident} does.
     */
    static void setSearchPath(Connection physical, String versionSchema) throws SQLException {
        try (Statement st = physical.createStatement()) {
            st.execute("SET search_path = " + Identifiers.quote(versionSchema));
        }
    }

    /**
     * Null when the target is live; another live version schema to reconnect to when the history says
     * the request means it; otherwise the request fails.
     */
    private String check(VersionState state, PinSettings settings, Target target) throws SQLException {
        List<String> live = state.live();
        if (live.contains(target.versionSchema())) {
            return null;
        }
        if (settings.version() instanceof VersionSpec.Latest && !live.isEmpty()) {
            return live.get(0);
        }
        String named = state.namedVersionSchema();
        if (named != null && live.contains(named)) {
            return named;
        }
        if (state.baselineLive()) {
            return settings.schema();
        }
        cache.invalidate(target.cacheKey());
        throw notFound(state, settings, target);
    }

    private static SQLException notFound(VersionState state, PinSettings settings, Target target) {
        String versionSchema = target.versionSchema();
        String reason;
        String fix;
        if (state.named() != null && state.named().equals(state.latest())) {
            reason = "is not published: its migration is being rolled back, or was started without version schemas";
            fix = "Pin to a version that exists";
        } else if (state.namedBaseline()) {
            reason = "does not exist: \"" + settings.version().text() + "\" is a baseline, whose version is the"
                    + " schema's tables themselves only until a later migration completes, and one has";
            fix = "Deploy the application build that matches a version that exists, or pin to one of them";
        } else if (state.named() != null) {
            reason = "no longer exists: it was dropped when a later migration completed";
            fix = "Deploy the application build that matches a version that exists, or pin to one of them";
        } else if (settings.version() instanceof VersionSpec.Classpath dir) {
            reason = "does not exist: migration " + target.requested() + ", the newest in classpath:" + dir.directory()
                    + ", has not been started in this database";
            fix = "Start it (`pgroll start " + target.requested() + ".yaml`) before deploying this build";
        } else {
            reason = "does not exist: the history of schema \"" + settings.schema() + "\" has no migration or version"
                    + " schema named \"" + settings.version().text() + "\"";
            fix = "Pin to a version that exists, by migration name or version schema name";
        }
        // a migration the database does not know has no version schema the driver could name: its file may
        // set version_schema, and the driver reads file names only
        String subject = settings.version() instanceof VersionSpec.Classpath && state.named() == null
                ? "the version schema of migration " + target.requested()
                : "version schema \"" + versionSchema + "\"";
        return new SQLException(
                settings.describe() + ": " + subject + " " + reason + "; "
                        + state.describeLive() + ". " + fix + ". The connection was closed before any query"
                        + " could reach the tables.",
                SqlStates.INVALID_SCHEMA_NAME);
    }

    /**
     * Returns whether the pin had to be (re)set with a statement. The engine's triggers compare the whole
     * {@code search_path} with {@code quote_ident(version schema)}; a mismatch would make them mistake this
     * session's writes for the other version's.
     */
    private static boolean checkSearchPath(
            Connection physical, VersionState state, PinSettings settings, String versionSchema) throws SQLException {
        if (state.searchPath().equals(state.expectedSearchPath())) {
            return false;
        }
        if (settings.pinMode() == PinSettings.PinMode.STARTUP
                && state.searchPath().equals(Identifiers.quoteIdent(versionSchema))) {
            // The server quotes this name otherwise than we did (a keyword of its own major): the startup
            // value arrived, only its spelling differs. Set it as the server spells it.
            setSearchPath(physical, versionSchema);
            return true;
        }
        throw new SQLException(
                settings.describe() + ": the session's search_path is " + state.searchPath() + ", not "
                        + state.expectedSearchPath() + ": something between the driver and PostgreSQL dropped or"
                        + " replaced the pin (a pooler such as PgBouncer drops startup parameters). Use "
                        + PgrollProperty.PIN_MODE.getName() + "=statement behind a session-mode pooler.",
                SqlStates.CONNECTION_REJECTED);
    }

    private static void closeAfterFailure(Connection physical, Throwable failure) {
        try {
            physical.close();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
