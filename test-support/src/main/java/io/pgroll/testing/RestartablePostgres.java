package io.pgroll.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An embedded PostgreSQL server of a test's own, which the test may crash ({@code immediate} shutdown:
 * no checkpoint, the server recovers from its WAL when it starts again) and restart on the same data
 * directory and port. Unlike the JVM's shared server, whatever {@code PGROLL_TEST_URL} says. It keeps
 * PostgreSQL's durable defaults (fsync, synchronous commit), so that what a crash loses is what a real
 * server would lose.
 */
public final class RestartablePostgres implements AutoCloseable {
    private final Path dataDirectory;
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
