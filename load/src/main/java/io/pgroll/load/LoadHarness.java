package io.pgroll.load;

import io.pgroll.engine.Pgroll;
import io.pgroll.engine.model.MigrationReader;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;

/**
 * Client traffic through the old and the new version while a migration starts and completes (and, in a
 * second run, starts and rolls back), and the same change made the blocking way (Flyway running the
 * script a Flyway user writes for it, in one transaction) under the same traffic, on the same server,
 * one run after the other. Prints a summary per phase, writes a CSV
 * of every second and an SVG chart of latency over time with the phases marked.
 *
 * <pre>
 * mvn -q -pl load -am -Pload -DskipTests verify -Dload.args="--rows 1000000 --clients 8"
 * </pre>
 *
 * Flags: {@code --rows N} (default 1000000), {@code --clients N} (8), {@code --rate N} statements a
 * second per client (100), {@code --phase-seconds N} (10), {@code --scenario NAME} (all), {@code
 * --lock-timeout MS} (500), {@code --backfill-batch-delay MS} (0: the pause after each backfill batch),
 * {@code --postgres-url jdbc:postgresql://...} (default: an embedded
 * PostgreSQL with its durable defaults), {@code --out DIR} (target/load).
 */
public final class LoadHarness {
    private LoadHarness() {}

    /** What a run is asked to do. */
    record Options(
            long rows,
            int clients,
            int rate,
            int phaseSeconds,
            List<Scenario> scenarios,
            Duration lockTimeout,
            Duration backfillBatchDelay,
            String postgresUrl,
            Path out) {
        static Options parse(String... args) {
            long rows = 1_000_000;
            int clients = 8;
            int rate = 100;
            int phaseSeconds = 10;
            List<Scenario> scenarios = Scenario.all();
            Duration lockTimeout = Duration.ofMillis(500);
            Duration backfillBatchDelay = Duration.ZERO;
            String url = null;
            Path out = Path.of("target", "load");
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[++i];
                switch (flag) {
                    case "--rows" -> rows = Long.parseLong(value);
                    case "--clients" -> clients = Integer.parseInt(value);
                    case "--rate" -> rate = Integer.parseInt(value);
                    case "--phase-seconds" -> phaseSeconds = Integer.parseInt(value);
                    case "--scenario" -> scenarios =
                            value.equals("all") ? Scenario.all() : List.of(Scenario.named(value));
                    case "--lock-timeout" -> lockTimeout = Duration.ofMillis(Long.parseLong(value));
                    case "--backfill-batch-delay" -> backfillBatchDelay = Duration.ofMillis(Long.parseLong(value));
                    case "--postgres-url" -> url = value;
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown flag " + flag);
                }
            }
            if (clients < 2) {
                throw new IllegalArgumentException("--clients must be at least 2: half of them are upgraded at a time");
            }
            return new Options(rows, clients, rate, phaseSeconds, scenarios, lockTimeout, backfillBatchDelay, url, out);
        }
    }

    /** Which way a run makes the change. */
    enum Tool {
        PGROLL("pgroll"),
        /** Started, both versions served, then the new build withdrawn and the migration rolled back. */
        PGROLL_ROLLBACK("pgroll, rolled back"),
        /** Flyway itself, running the script a Flyway user writes for the change (one transaction). */
        BLOCKING("Flyway");

        final String label;

        Tool(String label) {
            this.label = label;
        }
    }

    /** What one run of one scenario with one tool saw. */
    record Run(Scenario scenario, Tool tool, Recorder recorder, long rows) {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        try (Server server = Server.of(options.postgresUrl())) {
            System.out.println("load: " + server.describe());
            List<Run> runs = new ArrayList<>();
            for (Scenario scenario : options.scenarios()) {
                for (Tool tool : Tool.values()) {
                    System.out.printf(
                            "load: %s with %s, %,d rows, %d clients at %d statements/s each%n",
                            scenario.name(), tool.label, options.rows(), options.clients(), options.rate());
                    runs.add(run(server, scenario, tool, options));
                }
            }
            Report report = new Report(runs);
            System.out.println(report.summary());
            report.write(options.out());
            System.out.println("load: wrote " + options.out().resolve(Report.CSV) + " and "
                    + options.out().resolve(Report.SVG));
        }
    }

    static Run run(Server server, Scenario scenario, Tool tool, Options options) throws Exception {
        String database =
                "load_" + scenario.name().replace('-', '_') + "_" + tool.name().toLowerCase(Locale.ROOT);
        server.recreate(database);
        int half = options.clients() / 2;
        Duration phase = Duration.ofSeconds(options.phaseSeconds());
        Pgroll pgroll = null;
        Path flywayScripts = null;
        if (tool == Tool.BLOCKING) {
            flywayScripts = Files.createTempDirectory("load-flyway");
            writeScript(flywayScripts, "V1__base.sql", Scenario.BASE_SQL);
            migrateWithFlyway(server, database, flywayScripts);
        } else {
            pgroll = Pgroll.configure()
                    .url(server.jdbcUrl(database), server.user(), server.password())
                    .lockTimeout(options.lockTimeout())
                    .backfillBatchDelay(options.backfillBatchDelay())
                    .load();
            pgroll.init();
            pgroll.start(MigrationReader.read(Scenario.BASE, "01_base", "01_base.yaml"), true);
        }
        fill(server, database, options.rows());
        // the run's clock starts once the table is ready
        Recorder recorder = new Recorder();
        Clients clients = new Clients(recorder, options.rows(), options.rate());
        String change = "02_" + scenario.name().replace('-', '_');
        Clients.Connector oldVersion = pgroll != null ? server.pinned(database, "01_base") : server.plain(database);
        Clients.Connector newVersion = pgroll != null ? server.pinned(database, change) : server.plain(database);
        LockSampler sampler = new LockSampler(server, database, recorder);
        try {
            // a rolling upgrade: the old build's instances, then half of them replaced, then all
            recorder.phase("before");
            Clients.Group oldA = clients.start("old", half, oldVersion, scenario.before());
            Clients.Group oldB = clients.start("old", options.clients() - half, oldVersion, scenario.before());
            sleep(phase);
            Thread holder = holdLock(server, database, scenario.longTransaction());
            if (pgroll != null) {
                recorder.phase("start");
                pgroll.start(MigrationReader.read(scenario.operations(), change, change + ".yaml"));
            } else {
                recorder.phase("migrate");
                writeScript(flywayScripts, "V2__" + scenario.name().replace('-', '_') + ".sql", scenario.blocking());
                migrateWithFlyway(server, database, flywayScripts);
            }
            holder.join();
            recorder.phase("both versions");
            oldA.stop();
            Clients.Group newA = clients.start("new", half, newVersion, scenario.after());
            sleep(phase);
            if (tool == Tool.PGROLL_ROLLBACK) {
                // the new build is withdrawn first: its version schema goes with the rollback
                newA.stop();
                oldA = clients.start("old", half, oldVersion, scenario.before());
                recorder.phase("rollback");
                pgroll.rollback();
                recorder.phase("after");
                sleep(phase);
                oldA.stop();
                oldB.stop();
            } else {
                oldB.stop();
                Clients.Group newB = clients.start("new", options.clients() - half, newVersion, scenario.after());
                if (pgroll != null) {
                    recorder.phase("complete");
                    pgroll.complete();
                }
                recorder.phase("after");
                sleep(phase);
                newA.stop();
                newB.stop();
            }
        } finally {
            sampler.stop();
            if (flywayScripts != null) {
                try (var files = Files.list(flywayScripts)) {
                    for (Path file : files.toList()) {
                        Files.delete(file);
                    }
                }
                Files.delete(flywayScripts);
            }
        }
        return new Run(scenario, tool, recorder, options.rows());
    }

    /**
     * A reporting query's transaction that holds ACCESS SHARE on the table for {@code duration} from
     * now (none for a zero duration): what a DDL statement queues behind, and the clients behind it.
     */
    private static Thread holdLock(Server server, String database, Duration duration)
            throws SQLException, InterruptedException {
        if (duration.isZero()) {
            Thread none = new Thread(() -> {}, "no-long-transaction");
            none.start();
            return none;
        }
        CountDownLatch locked = new CountDownLatch(1);
        Connection c = server.connect(database);
        Thread thread = new Thread(
                () -> {
                    try (c;
                            Statement st = c.createStatement()) {
                        c.setAutoCommit(false);
                        st.execute("SELECT count(*) FROM accounts WHERE id < 100");
                        locked.countDown();
                        sleep(duration);
                        c.rollback();
                    } catch (SQLException | InterruptedException e) {
                        System.err.println("load: the long transaction failed: " + e.getMessage());
                        locked.countDown();
                    }
                },
                "long-transaction");
        thread.setDaemon(true);
        thread.start();
        locked.await();
        return thread;
    }

    private static void writeScript(Path directory, String file, List<String> statements) throws IOException {
        Files.writeString(directory.resolve(file), String.join(";\n", statements) + ";\n");
    }

    /** Flyway's {@code migrate} over the scripts written so far: each new one in a transaction of its own. */
    private static void migrateWithFlyway(Server server, String database, Path scripts) {
        Flyway.configure()
                .dataSource(server.jdbcUrl(database), server.user(), server.password())
                .locations("filesystem:" + scripts)
                .load()
                .migrate();
    }

    private static void fill(Server server, String database, long rows) throws SQLException {
        try (Connection c = server.connect(database);
                Statement st = c.createStatement()) {
            for (String sql : Scenario.fill(rows)) {
                st.execute(sql);
            }
            st.execute("VACUUM ANALYZE");
            st.execute("CHECKPOINT");
        }
    }

    private static void sleep(Duration duration) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(duration.toMillis());
    }

    /** Counts, ten times a second, the lock requests that wait ({@code pg_locks} not granted). */
    static final class LockSampler {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        LockSampler(Server server, String database, Recorder recorder) throws SQLException {
            Connection c = server.connect(database);
            thread = new Thread(
                    () -> {
                        try (c;
                                Statement st = c.createStatement()) {
                            while (running.get()) {
                                try (ResultSet rs =
                                        st.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
                                    rs.next();
                                    recorder.lockWaiters(rs.getInt(1));
                                }
                                TimeUnit.MILLISECONDS.sleep(100);
                            }
                        } catch (SQLException | InterruptedException e) {
                            // the run is over, or its server is gone: nothing left to sample
                        }
                    },
                    "lock-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running.set(false);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The server the runs use: an embedded one of their own, or one given by URL. */
    static final class Server implements AutoCloseable {
        private final EmbeddedPostgres embedded;
        private final String host;
        private final int port;
        private final String user;
        private final String password;

        private Server(EmbeddedPostgres embedded, String host, int port, String user, String password) {
            this.embedded = embedded;
            this.host = host;
            this.port = port;
            this.user = user;
            this.password = password;
        }

        static Server of(String url) throws IOException {
            if (url == null) {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on")
                        .start();
                return new Server(pg, "localhost", pg.getPort(), "postgres", "postgres");
            }
            URI uri = URI.create(url.replaceFirst("^jdbc:", ""));
            // user:password@host, or pgJDBC's own ?user=...&password=...
            Map<String, String> query = new HashMap<>();
            if (uri.getRawQuery() != null) {
                for (String pair : uri.getRawQuery().split("&")) {
                    String[] keyValue = pair.split("=", 2);
                    query.put(
                            URLDecoder.decode(keyValue[0], StandardCharsets.UTF_8),
                            keyValue.length > 1 ? URLDecoder.decode(keyValue[1], StandardCharsets.UTF_8) : "");
                }
            }
            String[] userInfo = uri.getUserInfo() == null
                    ? new String[0]
                    : uri.getUserInfo().split(":", 2);
            return at(
                    uri.getHost(),
                    uri.getPort() < 0 ? 5432 : uri.getPort(),
                    userInfo.length > 0 ? userInfo[0] : query.getOrDefault("user", "postgres"),
                    userInfo.length > 1 ? userInfo[1] : query.getOrDefault("password", ""));
        }

        /** A server that runs already; the runs create and drop databases of their own on it. */
        static Server at(String host, int port, String user, String password) {
            return new Server(null, host, port, user, password);
        }

        String describe() throws SQLException {
            try (Connection c = connect("postgres");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT version(), current_setting('shared_buffers'),"
                            + " current_setting('max_wal_size'), current_setting('synchronous_commit'),"
                            + " current_setting('fsync')")) {
                rs.next();
                return (embedded != null ? "embedded " : "") + rs.getString(1).replaceFirst(" on .*", "")
                        + ", shared_buffers " + rs.getString(2) + ", max_wal_size " + rs.getString(3)
                        + ", synchronous_commit " + rs.getString(4) + ", fsync " + rs.getString(5)
                        + ", " + Runtime.getRuntime().availableProcessors() + " cores";
            }
        }

        String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        String user() {
            return user;
        }

        String password() {
            return password;
        }

        Connection connect(String database) throws SQLException {
            return DriverManager.getConnection(jdbcUrl(database), credentials());
        }

        void recreate(String database) throws SQLException {
            try (Connection c = connect("postgres");
                    Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                st.execute("CREATE DATABASE " + database);
            }
        }

        /** An instance of the application pinned by the {@code jdbc:pgroll:} driver to a version. */
        Clients.Connector pinned(String database, String version) {
            return () -> {
                Properties p = credentials();
                p.setProperty("pgrollVersion", version);
                return DriverManager.getConnection(
                        "jdbc:pgroll:" + jdbcUrl(database).substring("jdbc:".length()), p);
            };
        }

        /** An instance of the application on the table itself, as without pgroll. */
        Clients.Connector plain(String database) {
            return () -> connect(database);
        }

        private Properties credentials() {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", password);
            return p;
        }

        @Override
        public void close() throws IOException {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
