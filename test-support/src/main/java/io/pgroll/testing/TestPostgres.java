package io.pgroll.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The one PostgreSQL server of a test JVM: {@code PGROLL_TEST_URL} when set, else a Testcontainers
 * container when Docker answers, else an embedded PostgreSQL (io.zonky.test) whose major is chosen by
 * {@code -Dpg.version}. Started once, on first use; each test class gets a database of its own.
 */
public final class TestPostgres {
    private static final AtomicInteger DATABASE_COUNTER = new AtomicInteger();
    private static Server server;

    private TestPostgres() {}

    /** The server's coordinates: a JDBC URL of an administrative database, with a superuser. */
    record Server(String host, int port, String user, String password, String source) {
        String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    static synchronized Server server() {
        if (server == null) {
            server = startServer();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> System.err.println("[test-postgres] used " + server.source())));
        }
        return server;
    }

    /** Creates a new, empty database on the shared server. */
    public static TestDatabase createDatabase(String hint) {
        Server s = server();
        String name = "t" + DATABASE_COUNTER.incrementAndGet() + "_"
                + hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        if (name.length() > 60) {
            name = name.substring(0, 60);
        }
        return createDatabase(s, name);
    }

    /** Creates the database {@code name} on {@code s}, dropping any earlier one of that name. */
    static TestDatabase createDatabase(Server s, String name) {
        try (Connection c = DriverManager.getConnection(s.jdbcUrl("postgres"), s.user(), s.password());
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name + " TEMPLATE template0");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + s.source(), e);
        }
        return new TestDatabase(s, name);
    }

    static void dropDatabase(Server s, String name) {
        try (Connection c = DriverManager.getConnection(s.jdbcUrl("postgres"), s.user(), s.password());
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name, e);
        }
    }

    private static Server startServer() {
        String url = System.getenv("PGROLL_TEST_URL");
        if (url != null && !url.isBlank()) {
            return fromUrl(url.trim());
        }
        if (dockerAnswers()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:" + majorVersion());
            container.start();
            return new Server(
                    container.getHost(),
                    container.getMappedPort(5432),
                    container.getUsername(),
                    container.getPassword(),
                    "Testcontainers postgres:" + majorVersion());
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the data directory is temporary
                }
            }));
            return new Server(
                    "localhost", pg.getPort(), "postgres", "postgres", "embedded PostgreSQL " + majorVersion());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    private static String majorVersion() {
        return System.getProperty("pg.version", "17");
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Accepts {@code jdbc:postgresql://user:password@host:port/db} style URLs and {@code postgres://} URLs. */
    private static Server fromUrl(String url) {
        String plain = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
        URI uri = URI.create(plain.replaceFirst("^postgres(ql)?://", "postgresql://"));
        String user = "postgres";
        String password = "";
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : "";
        }
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals("user")) {
                    user = kv[1];
                } else if (kv[0].equals("password")) {
                    password = kv[1];
                }
            }
        }
        return new Server(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user, password, "PGROLL_TEST_URL");
    }
}
