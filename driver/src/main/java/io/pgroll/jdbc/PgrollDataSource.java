package io.pgroll.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} of pinned connections, usable as a plain bean and as HikariCP's {@code
 * dataSourceClassName}:
 *
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * config.setDataSourceClassName("io.pgroll.jdbc.PgrollDataSource");
 * config.addDataSourceProperty("url", "jdbc:postgresql://db:5432/app");
 * config.addDataSourceProperty("pgrollVersion", "latest");
 * config.setUsername("app");
 * config.setPassword("secret");
 * }</pre>
 *
 * The URL may be {@code jdbc:pgroll:} or {@code jdbc:postgresql:}; pgJDBC's own properties go in its
 * query string. A pgroll property given in the URL wins over the bean's. Each data source has its own
 * resolution cache, so two of them never see each other.
 */
public final class PgrollDataSource implements DataSource {
    private final PgrollDriver driver = new PgrollDriver(new org.postgresql.Driver(), new Properties(), true);
    private volatile String url;
    private volatile String user;
    private volatile String password;
    private volatile String pgrollVersion;
    private volatile String pgrollSchema;
    private volatile String pgrollStateSchema;
    private volatile String pgrollPinMode;
    private volatile String pgrollValidate;
    private volatile int loginTimeout;
    private volatile PrintWriter logWriter;

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(user, password);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        String url = this.url;
        if (url == null) {
            throw new SQLException(
                    "PgrollDataSource has no url: set it, e.g. jdbc:postgresql://host:5432/db (HikariCP:"
                            + " dataSource.url)",
                    SqlStates.CONNECTION_UNABLE);
        }
        Properties properties = new Properties();
        put(properties, "user", username);
        put(properties, "password", password);
        put(properties, PgrollProperty.VERSION.getName(), pgrollVersion);
        put(properties, PgrollProperty.SCHEMA.getName(), pgrollSchema);
        put(properties, PgrollProperty.STATE_SCHEMA.getName(), pgrollStateSchema);
        put(properties, PgrollProperty.PIN_MODE.getName(), pgrollPinMode);
        put(properties, PgrollProperty.VALIDATE.getName(), pgrollValidate);
        if (loginTimeout > 0) {
            put(properties, "loginTimeout", Integer.toString(loginTimeout));
        }
        Connection connection = driver.connect(url, properties);
        if (connection == null) {
            throw new SQLException(
                    "PgrollDataSource url must start with jdbc:pgroll: or jdbc:postgresql: but was: " + url,
                    SqlStates.CONNECTION_UNABLE);
        }
        return connection;
    }

    private static void put(Properties properties, String key, String value) {
        if (value != null) {
            properties.setProperty(key, value);
        }
    }

    public String getUrl() {
        return url;
    }

    /** {@code jdbc:pgroll:postgresql://...} or {@code jdbc:postgresql://...}. Required. */
    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getPgrollVersion() {
        return pgrollVersion;
    }

    /** See {@link PgrollProperty#VERSION}. Default: none, no pinning. */
    public void setPgrollVersion(String pgrollVersion) {
        this.pgrollVersion = pgrollVersion;
    }

    public String getPgrollSchema() {
        return pgrollSchema;
    }

    /** See {@link PgrollProperty#SCHEMA}. Default {@code public}. */
    public void setPgrollSchema(String pgrollSchema) {
        this.pgrollSchema = pgrollSchema;
    }

    public String getPgrollStateSchema() {
        return pgrollStateSchema;
    }

    /** See {@link PgrollProperty#STATE_SCHEMA}. Default {@code pgroll}. */
    public void setPgrollStateSchema(String pgrollStateSchema) {
        this.pgrollStateSchema = pgrollStateSchema;
    }

    public String getPgrollPinMode() {
        return pgrollPinMode;
    }

    /** See {@link PgrollProperty#PIN_MODE}: {@code startup} (default) or {@code statement}. */
    public void setPgrollPinMode(String pgrollPinMode) {
        this.pgrollPinMode = pgrollPinMode;
    }

    public String getPgrollValidate() {
        return pgrollValidate;
    }

    /** See {@link PgrollProperty#VALIDATE}. Default {@code true}. */
    public void setPgrollValidate(String pgrollValidate) {
        this.pgrollValidate = pgrollValidate;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    /** Kept for the DataSource contract; pgJDBC logs through java.util.logging. */
    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /** Seconds; passed to pgJDBC as {@code loginTimeout}. 0 (default): pgJDBC's default. */
    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return driver.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("PgrollDataSource is not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
