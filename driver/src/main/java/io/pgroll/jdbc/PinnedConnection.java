package io.pgroll.jdbc;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A pgJDBC connection pinned to one version schema. It overrides only what the pin changes:
 *
 * <ul>
 *   <li>{@link #setSchema} cannot move the pin (HikariCP calls it when its {@code schema} is set): a
 *       call naming another schema does nothing and leaves a {@link SQLWarning}.
 *   <li>{@link #getSchema} answers the version schema.
 *   <li>statements and metadata are wrapped so that {@code getConnection()} answers this wrapper, never
 *       the physical connection, and so that {@link DatabaseMetaData#getTables} lists the version's views
 *       as its tables.
 *   <li>when the pin was set with a {@code SET} (statement mode), statements that reset the session's
 *       settings ({@code DISCARD ALL}, {@code RESET ALL}, {@code RESET search_path}, {@code SET search_path
 *       TO DEFAULT}), run through a {@link Statement} or {@link PreparedStatement} of this connection, are
 *       followed by the {@code SET} again (not those run through a {@link CallableStatement}, nor inside a
 *       function). In startup mode nothing needs doing: the
 *       startup packet's values are the session's defaults, which a reset restores.
 * </ul>
 *
 * {@code unwrap(PGConnection.class)} reaches pgJDBC's connection, as it does through HikariCP's proxy;
 * what is done on that object directly is not guarded.
 */
final class PinnedConnection extends DelegatingConnection implements PgrollConnection {
    /** Statements after which the session's search_path is no longer what a SET made it. */
    private static final Pattern RESETS_SEARCH_PATH = Pattern.compile(
            "\\b(DISCARD\\s+ALL|RESET\\s+(ALL|SEARCH_PATH)|SEARCH_PATH\\s*(TO|=)\\s*DEFAULT)\\b",
            Pattern.CASE_INSENSITIVE);

    private final String versionSchema;
    private final String migratedSchema;
    private final boolean pinnedBySet;
    private SQLWarning warnings;

    PinnedConnection(Connection physical, String versionSchema, String migratedSchema, boolean pinnedBySet) {
        super(physical);
        this.versionSchema = versionSchema;
        this.migratedSchema = migratedSchema;
        this.pinnedBySet = pinnedBySet;
    }

    @Override
    public String versionSchema() {
        return versionSchema;
    }

    @Override
    public String migratedSchema() {
        return migratedSchema;
    }

    /** Whether running {@code sql} calls for the pin to be set again afterwards. */
    boolean resetsPin(String sql) {
        return pinnedBySet && sql != null && RESETS_SEARCH_PATH.matcher(sql).find();
    }

    /** A JDBC call that runs SQL. */
    interface SqlCall<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code call}, which executes {@code sql}, then sets the pin again if {@code sql} reset it. Only
     * after success: a failed statement changed nothing, and in a failed transaction the SET could not run.
     */
    <T> T run(String sql, SqlCall<T> call) throws SQLException {
        return run(resetsPin(sql), call);
    }

    /** Runs {@code call}, then sets the pin again if {@code resetsPin}. */
    <T> T run(boolean resetsPin, SqlCall<T> call) throws SQLException {
        T result = call.run();
        if (resetsPin) {
            Pinning.setSearchPath(delegate, versionSchema);
        }
        return result;
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        if (!versionSchema.equals(schema)) {
            addWarning(new SQLWarning(
                    "setSchema(" + schema + ") ignored: this connection is pinned to version schema " + versionSchema
                            + " by " + PgrollProperty.VERSION.getName() + "; a pool's schema setting cannot move it"));
        }
    }

    @Override
    public String getSchema() {
        return versionSchema;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        SQLWarning server = delegate.getWarnings();
        if (warnings == null) {
            return server;
        }
        if (server != null && warnings.getNextWarning() == null) {
            warnings.setNextWarning(server);
        }
        return warnings;
    }

    @Override
    public void clearWarnings() throws SQLException {
        warnings = null;
        delegate.clearWarnings();
    }

    private void addWarning(SQLWarning warning) {
        if (warnings == null) {
            warnings = warning;
        } else {
            warnings.setNextWarning(warning);
        }
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return new PinnedDatabaseMetaData(delegate.getMetaData(), this);
    }

    @Override
    public Statement createStatement() throws SQLException {
        return new PinnedStatement(delegate.createStatement(), this);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return new PinnedStatement(delegate.createStatement(resultSetType, resultSetConcurrency), this);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return new PinnedStatement(
                delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability), this);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return new PinnedPreparedStatement(delegate.prepareStatement(sql), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return new PinnedPreparedStatement(delegate.prepareStatement(sql, autoGeneratedKeys), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return new PinnedPreparedStatement(delegate.prepareStatement(sql, columnIndexes), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return new PinnedPreparedStatement(delegate.prepareStatement(sql, columnNames), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return new PinnedPreparedStatement(
                delegate.prepareStatement(sql, resultSetType, resultSetConcurrency), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(
            String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        return new PinnedPreparedStatement(
                delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability), this, sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return new DelegatingCallableStatement(delegate.prepareCall(sql), this);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        return new DelegatingCallableStatement(delegate.prepareCall(sql, resultSetType, resultSetConcurrency), this);
    }

    @Override
    public CallableStatement prepareCall(
            String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        return new DelegatingCallableStatement(
                delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability), this);
    }

    @Override
    public String toString() {
        return "pinned to " + versionSchema + ": " + delegate;
    }
}
