package io.pgroll.engine.internal.operations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The columns a constraint of a table is over, read from the catalog. */
final class ConstraintColumns {
    private ConstraintColumns() {}

    static List<String> of(Connection connection, String schema, String table, String constraint) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                """
                SELECT a.attname
                FROM pg_constraint con
                JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, position) ON true
                JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                WHERE con.conrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND con.conname = ?
                ORDER BY k.position
                """)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, constraint);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    /** Checks that the constraint exists on the table and returns its columns; null when the schema is uncertain. */
    static List<String> require(ValidationContext context, VirtualTable table, String constraint) {
        if (!table.constraints().contains(constraint)) {
            if (!context.schemaIsExact()) {
                return null;
            }
            throw new InvalidOperationException("constraint \"" + constraint + "\" does not exist on table \""
                    + table.name() + "\" (its constraints: " + String.join(", ", table.constraints()) + ")");
        }
        try {
            return of(context.connection(), context.schema().name(), table.physicalName(), constraint);
        } catch (SQLException e) {
            throw new InvalidOperationException("cannot read constraint \"" + constraint + "\": " + e.getMessage(), e);
        }
    }
}
