package io.pgroll.cli;

import io.pgroll.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;

/**
 * A role whose password the server checks. The embedded test server trusts every local connection,
 * so a wrong password would be accepted; for that server, a {@code pg_hba.conf} rule for this one role
 * is put first while the test runs (the file is on this machine), and removed afterwards.
 */
final class PasswordAuthentication implements AutoCloseable {
    private final TestDatabase db;
    private final Path hbaFile;
    private final String originalRules;

    private PasswordAuthentication(TestDatabase db, Path hbaFile, String originalRules) {
        this.db = db;
        this.hbaFile = hbaFile;
        this.originalRules = originalRules;
    }

    static PasswordAuthentication require(TestDatabase db, String role, String password) {
        db.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        if (refusesWrongPassword(db, role)) {
            return new PasswordAuthentication(db, null, null);
        }
        Path hba = Path.of(db.queryValue("SHOW hba_file"));
        Assumptions.assumeTrue(
                Files.isWritable(hba), "the test server accepts any password and its pg_hba.conf is not local");
        try {
            String original = Files.readString(hba);
            Files.writeString(hba, "host all " + role + " all scram-sha-256\n" + original);
            var auth = new PasswordAuthentication(db, hba, original);
            db.execute("SELECT pg_reload_conf()");
            for (int i = 0; i < 100 && !refusesWrongPassword(db, role); i++) {
                Thread.sleep(50); // the postmaster reloads the file on SIGHUP, asynchronously
            }
            Assumptions.assumeTrue(refusesWrongPassword(db, role), "the server did not take the pg_hba.conf rule");
            return auth;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("try") // connecting is the test; the connection is only closed
    private static boolean refusesWrongPassword(TestDatabase db, String role) {
        Properties props = new Properties();
        props.setProperty("user", role);
        props.setProperty("password", "certainly-not-the-password");
        try (Connection ignored = DriverManager.getConnection(db.jdbcUrl(), props)) {
            return false;
        } catch (SQLException e) {
            return true;
        }
    }

    @Override
    public void close() {
        if (hbaFile != null) {
            try {
                Files.writeString(hbaFile, originalRules);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            db.execute("SELECT pg_reload_conf()");
        }
    }
}
