package io.pgroll.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A prepared statement of a {@link PinnedConnection}: its one SQL text runs through {@link PinnedConnection#run}. */
final class PinnedPreparedStatement extends DelegatingPreparedStatement<PreparedStatement> {
    private final PinnedConnection connection;
    private final String sql;

    PinnedPreparedStatement(PreparedStatement delegate, PinnedConnection connection, String sql) {
        super(delegate, connection);
        this.connection = connection;
        this.sql = sql;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return connection.run(sql, delegate::executeQuery);
    }

    @Override
    public int executeUpdate() throws SQLException {
        return connection.run(sql, delegate::executeUpdate);
    }

    @Override
    public boolean execute() throws SQLException {
        return connection.run(sql, delegate::execute);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return connection.run(sql, delegate::executeLargeUpdate);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return connection.run(sql, delegate::executeBatch);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return connection.run(sql, delegate::executeLargeBatch);
    }
}
