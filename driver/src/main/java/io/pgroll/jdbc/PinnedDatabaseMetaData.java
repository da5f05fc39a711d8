package io.pgroll.jdbc;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The metadata of a pinned connection. A version schema holds views, one per table of that version;
 * ORMs and schema tools ask for {@code TABLE}s, so {@link #getTables} reports the version schema's views
 * as tables whenever tables are asked for. The views are not duplicated as {@code VIEW}s, and everything
 * else (other schemas, the physical tables) is reported as pgJDBC reports it. Columns of the views come
 * from {@code getColumns} as pgJDBC gives them; views have no primary keys nor indexes to report.
 */
final class PinnedDatabaseMetaData extends DelegatingDatabaseMetaData {
    private static final String TABLE = "TABLE";
    private static final String VIEW = "VIEW";
    private static final int SCHEMA_COLUMN = 2;
    private static final int TYPE_COLUMN = 4;

    private final PinnedConnection connection;

    PinnedDatabaseMetaData(java.sql.DatabaseMetaData delegate, PinnedConnection connection) {
        super(delegate, connection);
        this.connection = connection;
    }

    @Override
    public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types)
            throws SQLException {
        List<String> requested = types == null ? null : Arrays.asList(types);
        if (requested != null && !requested.contains(TABLE)) {
            return delegate.getTables(catalog, schemaPattern, tableNamePattern, types);
        }
        boolean viewsRequested = requested == null || requested.contains(VIEW);
        String[] withViews = requested == null || viewsRequested ? types : append(types, VIEW);
        List<String> labels = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        try (ResultSet rs = delegate.getTables(catalog, schemaPattern, tableNamePattern, withViews)) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                labels.add(md.getColumnLabel(i));
            }
            while (rs.next()) {
                String[] row = new String[labels.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getString(i + 1);
                }
                boolean view = VIEW.equals(row[TYPE_COLUMN - 1]);
                if (view && connection.versionSchema().equals(row[SCHEMA_COLUMN - 1])) {
                    row[TYPE_COLUMN - 1] = TABLE;
                } else if (view && !viewsRequested) {
                    continue;
                }
                rows.add(row);
            }
        }
        return resultSet(labels, rows);
    }

    /**
     * The rows as a pgJDBC result set, with the column labels of pgJDBC's own {@code getTables} and its
     * order (type, catalog, schema, name), so callers that read by label or by index see no difference.
     * It costs one round trip; metadata is read at startup, not per request.
     */
    private ResultSet resultSet(List<String> labels, List<String[]> rows) throws SQLException {
        String columns = labels.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        String arrays = labels.stream().map(l -> "?::text[]").collect(Collectors.joining(", "));
        String sql = "SELECT * FROM unnest(" + arrays + ") AS t (" + columns + ") ORDER BY " + TYPE_COLUMN + ", 1, "
                + SCHEMA_COLUMN + ", 3";
        PreparedStatement ps = connection.delegate.prepareStatement(sql);
        try {
            for (int i = 0; i < labels.size(); i++) {
                int column = i;
                Array values = connection.delegate.createArrayOf(
                        "text", rows.stream().map(r -> r[column]).toArray());
                ps.setArray(i + 1, values);
            }
            ps.closeOnCompletion();
            return ps.executeQuery();
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static String[] append(String[] values, String value) {
        String[] copy = Arrays.copyOf(values, values.length + 1);
        copy[values.length] = value;
        return copy;
    }
}
