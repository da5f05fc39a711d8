package io.pgroll.engine.internal.backfill;

import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.MigrationListener.BackfillProgress;
import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.catalog.CatalogQueries.TypedColumn;
import io.pgroll.engine.internal.sql.LockSafeExecutor;
import io.pgroll.engine.internal.sql.Retry;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.internal.sql.SqlStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Touches every row that existed when it began, in short batches, so that the table's triggers fill
 * the new columns ({@code UPDATE ... SET key = key} fires them as a write of the old version would).
 *
 * <p>Each batch is its own transaction holding row locks on at most {@code batchSize} rows for a few
 * milliseconds, so the application's writes never wait long. A batch that meets a row locked by a long
 * transaction waits at most the lock timeout (holding its own rows meanwhile), then is rolled back and
 * retried after a backoff, as every statement of the lock-safe executor is. Rows are walked in key order (keyset
 * pagination, no OFFSET) up to the largest key seen at the start: rows inserted later are filled by
 * the trigger on insert, and the walk ends however fast new rows arrive. A table with neither a
 * primary key nor a NOT NULL unique column is walked by physical position (ctid ranges) instead.
 *
 * <p>Batches are sized to take about a target time (each holds its rows' locks that long), unless a
 * fixed size is configured. A batch commits without waiting for its WAL to reach the disk: a crash
 * may lose the last batches, but a crash during start is undone by rollback, and start's own record
 * that it finished is a synchronous commit, which makes every batch before it durable.
 *
 * <p>A backfill writes WAL as fast as the primary can; when a bound on replica lag is set, each batch
 * first waits until every standby is back within it ({@link ReplicaWatch}).
 */
public final class Backfill {
    /**
     * The session setting by which a backfill that computes the new columns in its own UPDATE tells
     * the up triggers, which would compute the same again, to stand by for its rows.
     */
    public static final String COMPUTING_SETTING = "pgroll.backfill";

    private final LockSafeExecutor executor;
    private final Connection connection;
    private final CatalogQueries catalog;
    private final String schema;
    private final String table;
    private final List<TypedColumn> key;
    /** The smallest and largest batch an adapted size may reach. */
    private static final int MIN_BATCH = 100;

    private static final int MAX_BATCH = 100_000;

    private final Duration batchTime;
    private final Duration batchDelay;
    private final ReplicaWatch replicas;
    private final Map<String, String> computed;
    private int batchSize;
    private final MigrationListener listener;
    private long began;

    public Backfill(
            LockSafeExecutor executor,
            String schema,
            String table,
            List<TypedColumn> key,
            BackfillPacing pacing,
            Map<String, String> computed,
            MigrationListener listener) {
        this.executor = executor;
        this.connection = executor.connection();
        this.catalog = new CatalogQueries(connection, schema);
        this.schema = schema;
        this.table = table;
        this.key = List.copyOf(key);
        this.batchSize = pacing.batchSize();
        this.batchTime = pacing.batchTime();
        this.batchDelay = pacing.batchDelay();
        this.replicas = new ReplicaWatch(catalog, pacing, listener);
        this.computed = Map.copyOf(computed);
        this.listener = listener;
    }

    /**
     * Runs the backfill to its end and returns the number of rows touched. Row security is off while it
     * runs: a policy that applies to the migrating role (one forced on the table's owner, or any policy
     * for a role that does not own it) would hide rows from the walk and leave them without the new
     * columns' values; with it off, PostgreSQL refuses such a query instead of filtering it.
     */
    public long run() throws SQLException {
        setRowSecurity(false);
        long done;
        try {
            long total = estimateRows();
            began = System.nanoTime();
            done = key.isEmpty() ? runByPhysicalPosition(total) : runByKey(total);
        } catch (SQLException e) {
            throw hiddenByPolicy(e) ? rowsHiddenByPolicy(e) : e;
        }
        setRowSecurity(true);
        report(done, done, true);
        return done;
    }

    private void setRowSecurity(boolean on) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(on ? "RESET row_security" : "SET row_security = off");
        }
    }

    private static boolean hiddenByPolicy(SQLException e) {
        return SqlStates.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())
                && e.getMessage() != null
                && e.getMessage().contains("row-level security");
    }

    private SQLException rowsHiddenByPolicy(SQLException e) {
        return new SQLException(
                "the backfill of table " + table + " cannot see every row: a row-level security policy applies to"
                        + " the migrating role, and filling only the rows it shows would leave the others without"
                        + " the new value. Run the migration as a role with BYPASSRLS or as the table's owner"
                        + " (and, if the table has FORCE ROW LEVEL SECURITY, ALTER TABLE " + table
                        + " NO FORCE ROW LEVEL SECURITY while it runs); no row was backfilled ("
                        + e.getMessage().strip() + ")",
                e.getSQLState(),
                e);
    }

    private long estimateRows() throws SQLException {
        // the planner's estimate is unknown until the table is first analysed; counting is then worth its one scan
        OptionalLong estimate = catalog.rowEstimate(table);
        if (estimate.isPresent()) {
            return estimate.getAsLong();
        }
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Sql.qualified(schema, table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Each batch is a key range: its end is found first (an index scan of at most batchSize keys),
     * then the range is updated. A range, not a join with the list of keys, so the planner always
     * walks the key's index, however large the batch.
     */
    private long runByKey(long estimate) throws SQLException {
        String qualified = Sql.qualified(schema, table) + " t";
        // Qualified by the alias: in ORDER BY a bare name would mean the text output column of that name.
        String keys = "("
                + String.join(
                        ", ", key.stream().map(k -> "t." + Sql.ident(k.name())).toList()) + ")";
        String ascending = keys.substring(1, keys.length() - 1);
        String descending = String.join(
                ", ",
                key.stream().map(k -> "t." + Sql.ident(k.name()) + " DESC").toList());
        String params = "("
                + String.join(
                        ", ",
                        key.stream().map(k -> "CAST(? AS " + k.type() + ")").toList()) + ")";
        String touch = assignments();
        List<String> upperBound = single(
                "SELECT " + textList(key) + " FROM " + qualified + " ORDER BY " + descending + " LIMIT 1", List.of());
        if (upperBound == null) {
            return 0;
        }
        List<String> last = null;
        long done = 0;
        while (true) {
            String where = (last == null ? "" : keys + " > " + params + " AND ") + keys + " <= " + params;
            List<String> from = last == null ? List.of() : last;
            List<String> end = single(
                    "SELECT " + textList(key) + " FROM " + qualified + " WHERE " + where + " ORDER BY " + ascending
                            + " LIMIT 1 OFFSET " + (batchSize - 1),
                    concat(from, upperBound));
            if (end == null) {
                end = upperBound; // less than a batch left
            }
            List<String> range = concat(from, end);
            int size = batchSize;
            replicas.awaitStandbys(table);
            long batchBegan = System.nanoTime();
            long rows = executor.inTransaction("backfill batch of " + table, c -> {
                prepareBatch(c);
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE " + qualified + " SET " + touch + " WHERE " + where)) {
                    bind(ps, range);
                    return ps.executeUpdate();
                }
            });
            if (rows >= size) {
                adapt(rows, System.nanoTime() - batchBegan);
            }
            done += rows;
            report(done, Math.max(estimate, done), false);
            if (end.equals(upperBound)) {
                return done;
            }
            last = end;
            pause();
        }
    }

    /**
     * The batch's transaction commits without waiting for the disk. When the batch computes the new
     * columns itself, the up triggers stand by, and the expressions resolve names as the triggers'
     * functions do, with the target schema first on the path.
     */
    private void prepareBatch(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL synchronous_commit TO off");
            if (!computed.isEmpty()) {
                st.execute("SET LOCAL search_path TO " + Sql.ident(schema) + ", pg_catalog, pg_temp");
                st.execute("SET LOCAL " + COMPUTING_SETTING + " TO on");
            }
        }
    }

    /**
     * The batch's assignments: each new column computed from its expression, or, when the triggers
     * compute them, one column set to itself, which fires them and changes nothing.
     */
    private String assignments() throws SQLException {
        if (computed.isEmpty()) {
            return firstColumnTouch();
        }
        return String.join(
                ", ",
                computed.entrySet().stream()
                        .map(e -> Sql.ident(e.getKey()) + " = (" + e.getValue() + ")")
                        .toList());
    }

    /**
     * The next batch's size, from how long a full one took per row: toward the target time, at most
     * doubled or halved at once, so that one odd batch (a lock wait, a checkpoint) does not swing it.
     */
    private void adapt(long rows, long nanos) {
        if (batchTime == null || rows == 0) {
            return;
        }
        double perRow = Math.max(1.0, nanos / (double) rows);
        long ideal = (long) (batchTime.toNanos() / perRow);
        long bounded = Math.max(batchSize / 2, Math.min((long) batchSize * 2, ideal));
        batchSize = (int) Math.max(MIN_BATCH, Math.min(MAX_BATCH, bounded));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The first row of a query as text values, or null when it has none. */
    private List<String> single(String sql, List<String> params) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                return row;
            }
        }
    }

    private static void bind(PreparedStatement ps, List<String> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setString(i + 1, params.get(i));
        }
    }

    private long runByPhysicalPosition(long estimate) throws SQLException {
        String qualified = Sql.qualified(schema, table);
        if (catalog.hasChildTables(table)) {
            // a parent's own pages are not its children's rows: walking them would skip every row
            throw new SQLException(
                    "table " + table + " is partitioned or has child tables and has neither a "
                            + "primary key nor a unique key over NOT NULL columns, which its backfill needs",
                    SqlStates.FEATURE_NOT_SUPPORTED);
        }
        long pages = catalog.pages(table);
        // Pages per batch so that a batch holds about batchSize rows.
        long rowsPerPage = pages == 0 ? 1 : Math.max(1, estimate / pages);
        long step = Math.max(1, batchSize / rowsPerPage);
        long done = 0;
        String sql = "WITH u AS (UPDATE " + qualified + " t SET " + assignments()
                + " WHERE t.ctid >= CAST(? AS tid) AND t.ctid < CAST(? AS tid) RETURNING 1) SELECT count(*) FROM u";
        for (long page = 0; page < pages; ) {
            long start = page;
            long end = Math.min(page + step, pages);
            replicas.awaitStandbys(table);
            long batchBegan = System.nanoTime();
            long rows = executor.inTransaction("backfill batch of " + table, c -> {
                prepareBatch(c);
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, "(" + start + ",0)");
                    ps.setString(2, "(" + end + ",0)");
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            if (rows >= batchSize) {
                adapt(rows, System.nanoTime() - batchBegan);
            }
            done += rows;
            // The estimate the first step came from may be stale: the next step follows the rows just met,
            // growing or shrinking at most fourfold so one odd stretch of pages does not swing it.
            long perPage = Math.max(1, rows / Math.max(1, end - page));
            step = Math.max(1, Math.min(step * 4, Math.max(step / 4, batchSize / perPage)));
            page = end;
            report(done, Math.max(estimate, done), false);
            pause();
        }
        return done;
    }

    /**
     * {@code "col" = t."col"} for the first column an UPDATE may assign (not generated, not an
     * identity GENERATED ALWAYS): setting a column to itself fires the triggers and changes nothing.
     */
    private String firstColumnTouch() throws SQLException {
        String column = catalog.firstAssignableColumn(table)
                .orElseThrow(() -> new SQLException(
                        "table " + table + " has no column that a backfill can touch",
                        SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE));
        return Sql.ident(column) + " = t." + Sql.ident(column);
    }

    private void report(long done, long total, boolean finished) {
        double seconds = Math.max(1e-3, (System.nanoTime() - began) / 1e9);
        double rate = done / seconds;
        long remaining = Math.max(0, total - done);
        Duration eta = rate > 0 ? Duration.ofMillis((long) (remaining / rate * 1000)) : Duration.ZERO;
        listener.backfill(new BackfillProgress(table, done, total, rate, eta, finished));
    }

    private void pause() throws SQLException {
        Retry.sleep(batchDelay, "pausing between backfill batches");
    }

    private static String textList(List<TypedColumn> key) {
        return String.join(
                ", ", key.stream().map(k -> Sql.ident(k.name()) + "::text").toList());
    }
}
