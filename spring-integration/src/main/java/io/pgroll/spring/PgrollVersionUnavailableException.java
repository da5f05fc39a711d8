package io.pgroll.spring;

import java.sql.SQLException;
import java.util.List;

/**
 * The version this build is written for cannot be connected to: typically retired by the complete of
 * a newer build's migration. Carries the driver's own message and SQLState.
 */
public class PgrollVersionUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String version;
    private final List<String> liveVersions;

    PgrollVersionUnavailableException(String version, List<String> liveVersions, SQLException cause) {
        super(
                "this build is written for pgroll version \"" + version + "\", and the application's DataSource "
                        + "cannot connect to it: " + cause.getMessage() + " (SQLState " + cause.getSQLState() + ")",
                cause);
        this.version = version;
        this.liveVersions = List.copyOf(liveVersions);
    }

    public String version() {
        return version;
    }

    /** The versions that exist now, newest first. */
    public List<String> liveVersions() {
        return liveVersions;
    }
}
