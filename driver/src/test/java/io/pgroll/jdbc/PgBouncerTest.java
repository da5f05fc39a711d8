package io.pgroll.jdbc;

import static io.pgroll.testing.Rows.exec;
import static io.pgroll.testing.Rows.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pinning through a real PgBouncer in session mode. PgBouncer 1.18 (Debian 12) refuses a {@code
 * search_path} startup parameter, and one told to ignore it drops it: startup mode must then fail the
 * connection, never hand out an unpinned one. Statement mode works, and PgBouncer's {@code DISCARD ALL}
 * between clients keeps the pin from leaking to the next client of the same server connection.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgBouncerTest {
    private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/pgbouncer"), Path.of("/usr/bin/pgbouncer"));

    private Process pgbouncer;
    private int port;
    private Fixture f;
    /** Why the tests cannot run here, or null when PgBouncer is up. */
    private String skipped;

    @BeforeAll
    void start(TestDatabase db) throws Exception {
        Path binary = BINARIES.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (binary == null) {
            skipped = "skipped: no pgbouncer binary at /usr/sbin/pgbouncer (install Debian's pgbouncer package to run"
                    + " the pooler tests)";
            return;
        }
        f = Fixture.inProgress(db, "bouncer");
        port = freePort();
        Path dir = Files.createTempDirectory(
                "pgbouncer", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path ini = dir.resolve("pgbouncer.ini");
        Files.writeString(
                ini,
                """
                [databases]
                * = host=%s port=%d user=%s password=%s
                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir =
                auth_type = any
                pool_mode = session
                default_pool_size = 1
                server_reset_query = DISCARD ALL
                ; what an operator adds to get past "unsupported startup parameter: search_path"
                ignore_startup_parameters = extra_float_digits,search_path
                """
                        .formatted(
                                db.host().equals("localhost") ? "127.0.0.1" : db.host(),
                                db.port(),
                                db.user(),
                                db.password(),
                                port));
        // PgBouncer refuses to run as root; -u drops to another user when started as root
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> command = root
                ? List.of(binary.toString(), "-u", "nobody", ini.toString())
                : List.of(binary.toString(), ini.toString());
        pgbouncer = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile())
                .start();
        for (int i = 0; i < 100 && !listening(port); i++) {
            Thread.sleep(50);
        }
        if (!listening(port)) {
            skipped = "skipped: pgbouncer did not start: " + read(dir.resolve("out.log"));
        }
    }

    /** Per test, so that the report counts the tests as skipped and shows why. */
    @BeforeEach
    void requirePgBouncer() {
        Assumptions.assumeTrue(skipped == null, skipped);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (pgbouncer != null) {
            pgbouncer.destroy();
            pgbouncer.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String url(String query) {
        return "jdbc:pgroll:postgresql://127.0.0.1:" + port + "/" + f.db.name() + "?pgrollSchema=bouncer&" + query;
    }

    @Test
    void startupModeBehindAPoolerThatDropsTheParameterFailsInsteadOfHandingOutAnUnpinnedConnection() {
        assertThatThrownBy(() -> DriverManager.getConnection(url("pgrollVersion=02_add_rating"), f.credentials()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("the session's search_path is \"$user\", public, not bouncer_02_add_rating")
                .hasMessageContaining("Use pgrollPinMode=statement behind a session-mode pooler")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08004"));
    }

    @Test
    void statementModeIsPinnedAndThePinDoesNotLeakToTheNextClient() throws Exception {
        try (Connection c = DriverManager.getConnection(
                url("pgrollVersion=02_add_rating&pgrollPinMode=statement"), f.credentials())) {
            assertThat(value(c, "SHOW search_path")).isEqualTo("bouncer_02_add_rating");
            exec(c, "INSERT INTO users (name, rating) VALUES ('through pgbouncer', 5)");
            assertThat(value(c, "SELECT rating FROM users")).isEqualTo("5");
        }
        // one server connection in the pool: the next client gets the same one, reset by DISCARD ALL
        try (Connection next = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + f.db.name(), f.credentials())) {
            assertThat(value(next, "SHOW search_path")).isEqualTo("\"$user\", public");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @SuppressWarnings("try") // connecting is the whole test; the socket is only closed
    private static boolean listening(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
