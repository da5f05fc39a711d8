package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.backfill.Backfill.KeyColumn;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Chooses the key a backfill walks: the primary key, else a unique index over NOT NULL columns only. */
final class BackfillKeys {
    private BackfillKeys() {}

    /** The key columns, or an empty list when the table has no usable key (walked by ctid then). */
    static List<KeyColumn> of(ExecutionContext context, String physicalTable) throws SQLException {
        String sql =
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
                """;
        List<KeyColumn> key = new ArrayList<>();
        long chosen = -1;
        try (PreparedStatement ps = context.connection().prepareStatement(sql)) {
            ps.setString(1, context.schemaName());
            ps.setString(2, physicalTable);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long index = rs.getLong(1);
                    if (chosen == -1) {
                        chosen = index;
                    }
                    if (index != chosen) {
                        break;
                    }
                    key.add(new KeyColumn(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return key;
    }
}
