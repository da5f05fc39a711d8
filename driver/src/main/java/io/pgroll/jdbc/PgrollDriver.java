package io.pgroll.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The {@code jdbc:pgroll:} driver: pgJDBC, with the connection pinned to one schema version.
 *
 * <pre>{@code
 * jdbc:pgroll:postgresql://db:5432/app?pgrollVersion=02_add_rating
 * }</pre>
 *
 * After {@code jdbc:pgroll:} comes whatever pgJDBC accepts after {@code jdbc:}; every property that is
 * not a {@link PgrollProperty} goes to pgJDBC untouched. Without {@code pgrollVersion} the connection
 * is pgJDBC's own, unpinned. Found by {@link DriverManager} through the service loader, and registered
 * when this class is loaded.
 *
 * <p>A pinned connection's {@code search_path} is exactly the version schema, set in the startup packet
 * (no extra round trip) or, with {@code pgrollPinMode=statement}, by a {@code SET} right after connecting.
 * Each new physical connection is checked once, with one query, unless {@code pgrollValidate=false}: a
 * version that does not exist, or no longer does, fails {@code connect} with SQLState 3F000 and a message
 * that lists the versions that exist; the connection is closed before any query reaches a table.
 */
public final class PgrollDriver implements Driver {
    static {
        try {
            DriverManager.registerDriver(new PgrollDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Driver postgres;
    private final Properties defaults;
    private final boolean acceptsPostgresUrls;
    private final Pinning pinning = new Pinning();

    /** The driver over this class loader's pgJDBC, accepting {@code jdbc:pgroll:} URLs. */
    public PgrollDriver() {
        this(new org.postgresql.Driver(), new Properties(), false);
    }

    PgrollDriver(Driver postgres, Properties defaults, boolean acceptsPostgresUrls) {
        this.postgres = postgres;
        this.defaults = defaults;
        this.acceptsPostgresUrls = acceptsPostgresUrls;
    }

    /**
     * A driver that pins the connections of the given pgJDBC driver instance, for {@code jdbc:postgresql:}
     * URLs as well as {@code jdbc:pgroll:} ones; {@code defaults} holds {@link PgrollProperty} values used
     * where a request sets none. For agents and frameworks that hold an application's own pgJDBC: the
     * connections it returns are of that pgJDBC, so {@code unwrap(PGConnection.class)} works with its
     * classes.
     */
    public static Driver pinning(Driver postgres, Properties defaults) {
        Properties copy = new Properties();
        copy.putAll(defaults);
        return new PgrollDriver(postgres, copy, true);
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!accepts(url)) {
            return null; // DriverManager asks every driver; the URL is someone else's
        }
        DriverUrl parsed = DriverUrl.parse(url);
        Properties merged = new Properties();
        merged.putAll(defaults);
        merged.putAll(parsed.merge(info));
        PinSettings settings = PinSettings.from(merged);
        Properties pgjdbc = withoutOurs(merged);
        if (settings == null) {
            return postgres.connect(parsed.postgresUrl(), pgjdbc);
        }
        return pinning.connect(postgres, parsed, pgjdbc, settings);
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return accepts(url) && postgres.acceptsURL(DriverUrl.parse(url).postgresUrl());
    }

    private boolean accepts(String url) {
        return DriverUrl.isPgroll(url)
                || (acceptsPostgresUrls && url != null && url.startsWith(DriverUrl.POSTGRES_PREFIX));
    }

    /** Ours first, then pgJDBC's. */
    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        DriverUrl parsed = DriverUrl.parse(url);
        Properties merged = parsed.merge(info);
        List<DriverPropertyInfo> properties = new ArrayList<>();
        for (PgrollProperty property : PgrollProperty.values()) {
            properties.add(property.toDriverPropertyInfo(merged));
        }
        properties.addAll(Arrays.asList(postgres.getPropertyInfo(parsed.postgresUrl(), withoutOurs(merged))));
        return properties.toArray(DriverPropertyInfo[]::new);
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    /** As pgJDBC: PostgreSQL is not fully SQL-92 Entry Level. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return postgres.getParentLogger();
    }

    private static Properties withoutOurs(Properties properties) {
        Properties pgjdbc = new Properties();
        for (String key : properties.stringPropertyNames()) {
            if (!PgrollProperty.isOurs(key)) {
                pgjdbc.setProperty(key, properties.getProperty(key));
            }
        }
        return pgjdbc;
    }
}
