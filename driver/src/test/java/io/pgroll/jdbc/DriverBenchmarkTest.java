package io.pgroll.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Figures, not assertions: what pinning costs. Run with {@code mvn -pl driver verify -Pbenchmark}; it
 * prints to standard output. Each pair of measurements is interleaved in rounds so that drift of a
 * shared machine falls on both sides alike.
 */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class DriverBenchmarkTest {
    private static final int ROUNDS = 5;
    private static final int OPENS_PER_ROUND = 100;
    private static final int BORROWS_PER_ROUND = 4000;
    private static final int SELECTS_PER_ROUND = 4000;
    private static final int INSERTS_PER_ROUND = 2000;
    private static final int ROWS = 100_000;

    interface Body {
        void run(int i) throws Exception;
    }

    /** Nanoseconds of each of the two bodies, summed over interleaved rounds after a warm-up round. */
    private static long[] compare(int perRound, Body a, Body b) throws Exception {
        long[] total = new long[2];
        for (int round = -1; round < ROUNDS; round++) {
            for (int side = 0; side < 2; side++) {
                Body body = side == 0 ? a : b;
                long start = System.nanoTime();
                for (int i = 0; i < perRound; i++) {
                    body.run(i);
                }
                if (round >= 0) {
                    total[side] += System.nanoTime() - start;
                }
            }
        }
        return total;
    }

    private static void print(String what, String a, String b, int perRound, long[] nanos) {
        int n = perRound * ROUNDS;
        double msA = nanos[0] / 1e6 / n;
        double msB = nanos[1] / 1e6 / n;
        System.out.printf(
                Locale.ROOT,
                "%-44s %-28s %8.3f ms  %9.0f /s | %-28s %8.3f ms  %9.0f /s | ratio %.3f%n",
                what,
                a,
                msA,
                1000 / msA,
                b,
                msB,
                1000 / msB,
                msB / msA);
    }

    @Test
    void pinningCosts(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "bench");
        f.pgroll.complete();
        db.execute(
                "INSERT INTO bench.users (name) SELECT 'user ' || g FROM generate_series(1, " + ROWS + ") g",
                "ANALYZE bench.users");
        Properties credentials = f.credentials();
        String plainUrl = db.jdbcUrl();
        PgrollDriver driver = new PgrollDriver();
        System.out.println();
        System.out.println("== pgroll driver benchmark (PostgreSQL " + db.queryValue("SHOW server_version") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores; per operation) ==");

        String named = f.url("pgrollVersion=02_add_rating");
        long[] open = compare(
                OPENS_PER_ROUND,
                i -> DriverManager.getConnection(plainUrl, credentials).close(),
                i -> driver.connect(named + "&pgrollValidate=false", credentials)
                        .close());
        print("connection open", "jdbc:postgresql:", "jdbc:pgroll: no validation", OPENS_PER_ROUND, open);
        open = compare(
                OPENS_PER_ROUND,
                i -> DriverManager.getConnection(plainUrl, credentials).close(),
                i -> driver.connect(named, credentials).close());
        print("connection open", "jdbc:postgresql:", "jdbc:pgroll: validated", OPENS_PER_ROUND, open);
        String latest = f.url("pgrollVersion=latest");
        open = compare(
                OPENS_PER_ROUND,
                i -> DriverManager.getConnection(plainUrl, credentials).close(),
                i -> driver.connect(latest, credentials).close());
        print("connection open", "jdbc:postgresql:", "jdbc:pgroll: latest, validated", OPENS_PER_ROUND, open);

        try (HikariDataSource plainPool = pool(plainUrl, null, f);
                HikariDataSource pinnedPool = pool(plainUrl, "02_add_rating", f)) {
            long[] borrow =
                    compare(BORROWS_PER_ROUND, i -> borrowAndSelect(plainPool), i -> borrowAndSelect(pinnedPool));
            print(
                    "HikariCP borrow + SELECT 1",
                    "jdbc:postgresql:",
                    "PgrollDataSource validated",
                    BORROWS_PER_ROUND,
                    borrow);
        }

        try (Connection plain = DriverManager.getConnection(plainUrl, credentials);
                Connection pinned = driver.connect(named, credentials);
                PreparedStatement baseSelect = plain.prepareStatement("SELECT id, name FROM bench.users WHERE id = ?");
                PreparedStatement viewSelect = pinned.prepareStatement("SELECT id, name FROM users WHERE id = ?");
                // the two halves of the pin's cost apart: the view through plain pgJDBC, the driver on the table
                PreparedStatement plainViewSelect = plain.prepareStatement(
                        "SELECT id, name FROM " + f.schema + "_02_add_rating.users WHERE id = ?");
                PreparedStatement pinnedBaseSelect =
                        pinned.prepareStatement("SELECT id, name FROM bench.users WHERE id = ?");
                PreparedStatement baseInsert =
                        plain.prepareStatement("INSERT INTO bench.users (name, rating) VALUES (?, 1)");
                PreparedStatement viewInsert =
                        pinned.prepareStatement("INSERT INTO users (name, rating) VALUES (?, 1)")) {
            long[] select = compare(SELECTS_PER_ROUND, i -> pointSelect(baseSelect), i -> pointSelect(viewSelect));
            print("point select by primary key", "base table", "version schema view", SELECTS_PER_ROUND, select);
            long[] view = compare(SELECTS_PER_ROUND, i -> pointSelect(baseSelect), i -> pointSelect(plainViewSelect));
            print(
                    "  of which the view (jdbc:postgresql:)",
                    "base table",
                    "the view, schema-qualified",
                    SELECTS_PER_ROUND,
                    view);
            long[] wrapper =
                    compare(SELECTS_PER_ROUND, i -> pointSelect(baseSelect), i -> pointSelect(pinnedBaseSelect));
            print("  of which the driver (base table)", "jdbc:postgresql:", "jdbc:pgroll:", SELECTS_PER_ROUND, wrapper);
            long[] insert = compare(INSERTS_PER_ROUND, i -> insert(baseInsert, i), i -> insert(viewInsert, i));
            print("single-row insert, autocommit", "base table", "version schema view", INSERTS_PER_ROUND, insert);
        }
    }

    private static HikariDataSource pool(String url, String version, Fixture f) {
        HikariConfig config = new HikariConfig();
        if (version == null) {
            config.setJdbcUrl(url);
        } else {
            config.setDataSourceClassName(PgrollDataSource.class.getName());
            config.addDataSourceProperty("url", url);
            config.addDataSourceProperty("pgrollVersion", version);
            config.addDataSourceProperty("pgrollSchema", f.schema);
        }
        config.setUsername(f.db.user());
        config.setPassword(f.db.password());
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    private static void borrowAndSelect(DataSource pool) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT 1");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
        }
    }

    private static void pointSelect(PreparedStatement ps) throws SQLException {
        ps.setInt(1, 1 + ThreadLocalRandom.current().nextInt(ROWS));
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
        }
    }

    private static void insert(PreparedStatement ps, int i) throws SQLException {
        ps.setString(1, "bench " + i);
        ps.executeUpdate();
    }
}
