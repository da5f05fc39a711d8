package io.pgroll.engine.internal.backfill;

import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.MigrationListener.BackfillProgress;
import io.pgroll.engine.internal.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Touches every row that existed when it began, in short batches, so that the table's triggers fill
 * the new columns ({@code UPDATE ... SET key = key} fires them as a write of the old version would).
 *
 * <p>Each batch is its own transaction holding row locks on at most {@code batchSize} rows for a few
 * milliseconds, so the application's writes never wait long. Rows are walked in key order (keyset
 * pagination, no OFFSET) up to the largest key seen at the start: rows inserted later are filled by
 * the trigger on insert, and the walk ends however fast new rows arrive. A table with neither a
 * primary key nor a NOT NULL unique column is walked by physical position (ctid ranges) instead.
 */
public final class Backfill {
    /** The key columns with their types, for the casts of the keyset parameters. */
    public record KeyColumn(String name, String type) {}

    private final Connection connection;
    private final String schema;
    private final String table;
    private final List<KeyColumn> key;
    private final int batchSize;
    private final Duration batchDelay;
    private final MigrationListener listener;

    public Backfill(
            Connection connection,
            String schema,
            String table,
            List<KeyColumn> key,
            int batchSize,
            Duration batchDelay,
            MigrationListener listener) {
        this.connection = connection;
        this.schema = schema;
        this.table = table;
        this.key = List.copyOf(key);
        this.batchSize = batchSize;
        this.batchDelay = batchDelay;
        this.listener = listener;
    }

    /** Runs the backfill to its end and returns the number of rows touched. */
    public long run() throws SQLException {
        long total = estimateRows();
        return key.isEmpty() ? runByPhysicalPosition(total) : runByKey(total);
    }

    private long estimateRows() throws SQLException {
        // reltuples is -1 until the table is first analysed; counting is then worth its one scan
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT CASE WHEN reltuples >= 0 THEN reltuples::bigint END FROM pg_class WHERE oid = ?::regclass")) {
            ps.setString(1, Sql.qualified(schema, table));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long estimate = rs.getLong(1);
                if (!rs.wasNull()) {
                    return estimate;
                }
            }
        }
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Sql.qualified(schema, table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long runByKey(long estimate) throws SQLException {
        String qualified = Sql.qualified(schema, table);
        String keyList = Sql.identList(key.stream().map(KeyColumn::name).toList());
        // Qualified, so that ORDER BY means the key column, not the text output column of the same name.
        String orderDesc = String.join(
                ", ",
                key.stream().map(k -> "t." + Sql.ident(k.name()) + " DESC").toList());
        List<String> upperBound = new ArrayList<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT " + textList(key) + " FROM " + qualified + " t ORDER BY " + orderDesc + " LIMIT 1")) {
            if (!rs.next()) {
                return 0;
            }
            for (int i = 1; i <= key.size(); i++) {
                upperBound.add(rs.getString(i));
            }
        }
        String params = String.join(
                ", ", key.stream().map(k -> "CAST(? AS " + k.type() + ")").toList());
        String touch = "SET " + Sql.ident(key.get(0).name()) + " = t."
                + Sql.ident(key.get(0).name());
        String sqlFirst = batchSql(qualified, keyList, orderDesc, touch, "(" + keyList + ") <= (" + params + ")");
        String sqlNext = batchSql(
                qualified,
                keyList,
                orderDesc,
                touch,
                "(" + keyList + ") > (" + params + ") AND (" + keyList + ") <= (" + params + ")");
        List<String> last = null;
        long done = 0;
        long began = System.nanoTime();
        while (true) {
            List<String> params1 = new ArrayList<>();
            if (last != null) {
                params1.addAll(last);
            }
            params1.addAll(upperBound);
            BatchResult batch = runBatch(last == null ? sqlFirst : sqlNext, params1);
            if (batch.rows() == 0) {
                break;
            }
            done += batch.rows();
            last = batch.lastKey();
            report(done, Math.max(estimate, done), began);
            pause();
        }
        return done;
    }

    private String batchSql(String qualified, String keyList, String orderDesc, String touch, String where) {
        String join = String.join(
                " AND ",
                key.stream()
                        .map(k -> "t." + Sql.ident(k.name()) + " = b." + Sql.ident(k.name()))
                        .toList());
        return "WITH b AS (SELECT " + keyList + " FROM " + qualified + " WHERE " + where + " ORDER BY " + keyList
                + " LIMIT " + batchSize + " FOR NO KEY UPDATE), u AS (UPDATE " + qualified + " t " + touch
                + " FROM b WHERE " + join + " RETURNING " + prefixed("t", key) + ") SELECT count(*) OVER (), "
                + textList(key) + " FROM u t ORDER BY " + orderDesc + " LIMIT 1";
    }

    private record BatchResult(long rows, List<String> lastKey) {}

    private BatchResult runBatch(String sql, List<String> params) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new BatchResult(0, List.of());
                }
                List<String> lastKey = new ArrayList<>();
                for (int i = 0; i < key.size(); i++) {
                    lastKey.add(rs.getString(i + 2));
                }
                return new BatchResult(rs.getLong(1), lastKey);
            }
        }
    }

    private long runByPhysicalPosition(long estimate) throws SQLException {
        String qualified = Sql.qualified(schema, table);
        long pages;
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT pg_relation_size(?::regclass) / current_setting('block_size')::int")) {
            ps.setString(1, qualified);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                pages = rs.getLong(1);
            }
        }
        // Pages per batch so that a batch holds about batchSize rows.
        long rowsPerPage = pages == 0 ? 1 : Math.max(1, estimate / pages);
        long step = Math.max(1, batchSize / rowsPerPage);
        long done = 0;
        long began = System.nanoTime();
        String sql = "WITH u AS (UPDATE " + qualified + " t SET " + firstColumnTouch()
                + " WHERE t.ctid >= CAST(? AS tid) AND t.ctid < CAST(? AS tid) RETURNING 1) SELECT count(*) FROM u";
        for (long page = 0; page < pages; page += step) {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setString(1, "(" + page + ",0)");
                ps.setString(2, "(" + Math.min(page + step, pages) + ",0)");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    done += rs.getLong(1);
                }
            }
            report(done, Math.max(estimate, done), began);
            pause();
        }
        return done;
    }

    private String firstColumnTouch() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped "
                        + "AND attgenerated = '' AND attidentity <> 'a' ORDER BY attnum LIMIT 1")) {
            ps.setString(1, Sql.qualified(schema, table));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("table " + table + " has no column that a backfill can touch", "55000");
                }
                String column = rs.getString(1);
                return Sql.ident(column) + " = t." + Sql.ident(column);
            }
        }
    }

    private void report(long done, long total, long beganNanos) {
        double seconds = Math.max(1e-3, (System.nanoTime() - beganNanos) / 1e9);
        double rate = done / seconds;
        long remaining = Math.max(0, total - done);
        Duration eta = rate > 0 ? Duration.ofMillis((long) (remaining / rate * 1000)) : Duration.ZERO;
        listener.backfill(new BackfillProgress(table, done, total, rate, eta));
    }

    private void pause() throws SQLException {
        if (batchDelay.isZero() || batchDelay.isNegative()) {
            return;
        }
        try {
            Thread.sleep(batchDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted during backfill", "57014", e);
        }
    }

    private static String textList(List<KeyColumn> key) {
        return String.join(
                ", ",
                key.stream().map(k -> "t." + Sql.ident(k.name()) + "::text").toList());
    }

    private static String prefixed(String alias, List<KeyColumn> key) {
        return String.join(
                ", ", key.stream().map(k -> alias + "." + Sql.ident(k.name())).toList());
    }
}
