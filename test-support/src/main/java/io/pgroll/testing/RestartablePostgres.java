package io.pgroll.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * An embedded PostgreSQL server of a test's own, which the test may crash ({@code immediate} shutdown:
 * no checkpoint, the server recovers from its WAL when it starts again) and restart on the same data
 * directory and port. Unlike the JVM's shared server, whatever {@code PGROLL_TEST_URL} says. It keeps
 * PostgreSQL's durable defaults (fsync, synchronous commit), so that what a crash loses is what a real
 * server would lose.
 *
 * <p>It can also be given a streaming standby ({@link #startStandby()}), made the way PostgreSQL's
 * manual describes a low-level base backup, since the embedded binaries have no {@code pg_basebackup}.
 */
public final class RestartablePostgres implements AutoCloseable {
    private static final AtomicInteger STANDBYS = new AtomicInteger();
    /** What a base backup leaves out: the server's own run files, and WAL, which the standby streams. */
    private static final Set<String> NOT_COPIED = Set.of("postmaster.pid", "postmaster.opts", "pg_wal", "pg_replslot");

    private final Path dataDirectory;
    private String standbyName;
    private EmbeddedPostgres server;
    private int port;

    private RestartablePostgres(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    public static RestartablePostgres start() {
        try {
            RestartablePostgres pg = new RestartablePostgres(Files.createTempDirectory("pgroll-restartable"));
            pg.launch(0);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a restartable embedded PostgreSQL", e);
        }
    }

    private void launch(int fixedPort) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "50")
                // the embedded server's own defaults trade durability for speed; a crash test cannot
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on");
        if (fixedPort > 0) {
            builder.setPort(fixedPort);
        }
        server = builder.start();
        port = server.getPort();
    }

    /** A new database on this server. */
    public TestDatabase database(String name) {
        return TestPostgres.createDatabase(
                new TestPostgres.Server("localhost", port, "postgres", "postgres", "restartable embedded PostgreSQL"),
                name);
    }

    /** A connection to one of this server's databases as its superuser: on a standby, read-only. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + port + "/" + database, "postgres", "postgres");
    }

    /**
     * A hot standby of this server, streaming its WAL over loopback through a physical replication slot
     * (so the WAL it has not received yet is kept however far it falls behind). Its name in the
     * primary's {@code pg_stat_replication} is {@link #standbyName()}. Closing it drops nothing on the
     * primary; close the primary after it.
     */
    public RestartablePostgres startStandby() {
        String name = "pgroll_test_standby_" + STANDBYS.incrementAndGet();
        try (Connection c = connect("postgres");
                Statement st = c.createStatement()) {
            st.execute("SELECT pg_create_physical_replication_slot('" + name + "', true)");
            Path copy = Files.createTempDirectory("pgroll-standby");
            // PostgreSQL 15 renamed the non-exclusive backup functions (and dropped the exclusive kind)
            boolean before15 = c.getMetaData().getDatabaseMajorVersion() < 15;
            st.execute(
                    before15
                            ? "SELECT pg_start_backup('" + name + "', true, false)"
                            : "SELECT pg_backup_start('" + name + "', true)");
            copyData(dataDirectory, copy);
            try (ResultSet rs = st.executeQuery(
                    "SELECT labelfile FROM " + (before15 ? "pg_stop_backup(false)" : "pg_backup_stop(false)"))) {
                rs.next();
                Files.writeString(copy.resolve("backup_label"), rs.getString(1));
            }
            Files.createDirectories(copy.resolve("pg_wal/archive_status"));
            Files.createDirectories(copy.resolve("pg_wal/summaries"));
            Files.createDirectories(copy.resolve("pg_replslot"));
            Files.writeString(copy.resolve("standby.signal"), "");
            Files.writeString(
                    copy.resolve("postgresql.auto.conf"),
                    String.join(
                            "\n",
                            List.of(
                                    "primary_conninfo = 'host=localhost port=" + port
                                            + " user=postgres application_name=" + name + "'",
                                    "primary_slot_name = '" + name + "'",
                                    "hot_standby = on",
                                    "")),
                    StandardOpenOption.APPEND);
            RestartablePostgres standby = new RestartablePostgres(copy);
            standby.standbyName = name;
            standby.launch(0);
            return standby;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make a standby of the embedded PostgreSQL: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a standby of the embedded PostgreSQL", e);
        }
    }

    /** The standby's application name as its primary lists it; null for a primary. */
    public String standbyName() {
        return standbyName;
    }

    /**
     * Copies a running server's data directory. Files may change or vanish while they are read: the
     * WAL replayed from the backup's start repairs what changed, and what vanished is not needed.
     */
    private static void copyData(Path from, Path to) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(p -> !p.equals(from))
                    .filter(p ->
                            !NOT_COPIED.contains(from.relativize(p).getName(0).toString()))
                    .toList();
        }
        for (Path file : files) {
            Path target = to.resolve(from.relativize(file).toString());
            try {
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target);
                }
            } catch (NoSuchFileException vanished) {
                // a temporary file the server removed while the copy ran
            }
        }
    }

    /**
     * Stops the server as a power cut would, as far as the database can tell: SIGQUIT to the postmaster
     * is PostgreSQL's immediate shutdown, which ends every backend at once and writes nothing more.
     */
    public void crash() {
        long postmaster = postmasterPid();
        ProcessHandle handle = ProcessHandle.of(postmaster)
                .orElseThrow(() -> new IllegalStateException("no postmaster " + postmaster));
        run("kill", "-QUIT", Long.toString(postmaster));
        handle.onExit().join();
    }

    /** Starts the server again on the same data directory and port: it replays its WAL first. */
    public void restart() {
        try {
            // the handle is only closed now: its own stop finds the server gone already
            server.close();
        } catch (IOException ignored) {
            // pg_ctl reports the server was not running
        }
        try {
            Files.deleteIfExists(dataDirectory.resolve("postmaster.pid"));
            launch(port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart the embedded PostgreSQL", e);
        }
    }

    private long postmasterPid() {
        try (Stream<String> lines = Files.lines(dataDirectory.resolve("postmaster.pid"))) {
            return Long.parseLong(lines.findFirst().orElseThrow().trim());
        } catch (IOException e) {
            throw new UncheckedIOException("the server is not running", e);
        }
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // the directory goes anyway
        }
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
