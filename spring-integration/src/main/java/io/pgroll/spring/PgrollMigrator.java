package io.pgroll.spring;

import io.pgroll.engine.Pgroll;
import io.pgroll.engine.PgrollException;
import io.pgroll.engine.Status;
import io.pgroll.jdbc.PgrollConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Brings the database to what this build ships when the application starts, before JPA and JDBC
 * users start (see {@link PgrollDatabaseInitializerDetector}); then checks that the application's
 * DataSource connects to the build's version, so that a build whose version was retired fails with
 * the driver's message rather than with whatever the first user of the DataSource makes of it.
 */
public class PgrollMigrator implements InitializingBean {
    private static final Log log = LogFactory.getLog(PgrollMigrator.class);

    private final Pgroll pgroll;
    private final BuildMigrations migrations;
    private final boolean completePrevious;
    private final DataSource applicationDataSource;
    private volatile List<String> started = List.of();

    PgrollMigrator(
            Pgroll pgroll, BuildMigrations migrations, boolean completePrevious, DataSource applicationDataSource) {
        this.pgroll = pgroll;
        this.migrations = migrations;
        this.completePrevious = completePrevious;
        this.applicationDataSource = applicationDataSource;
    }

    @Override
    public void afterPropertiesSet() {
        pgroll.init();
        try {
            started = pgroll.deploy(migrations.read(), migrations.source(), completePrevious);
        } catch (PgrollException e) {
            if (!completePrevious && pgroll.status().state() == Status.State.IN_PROGRESS) {
                throw new PgrollException(
                        e.kind(),
                        e.getMessage() + " To let this build complete it at startup, set "
                                + "pgroll.complete-previous=true.",
                        e);
            }
            throw e;
        }
        if (started.isEmpty()) {
            log.info("pgroll: the database is at this build's migrations already (newest: "
                    + migrations.newest().orElse("none") + ")");
        } else {
            log.info("pgroll: started " + String.join(", ", started) + "; the newest stays in progress until "
                    + "`pgroll complete` (or the pgroll endpoint's complete) retires the previous version");
        }
        if (applicationDataSource != null && version().isPresent()) {
            requireVersionServed();
        }
    }

    private void requireVersionServed() {
        // the driver checks the pinned version when it connects
        try (Connection connection = applicationDataSource.getConnection()) {
            if (!connection.isWrapperFor(PgrollConnection.class)) {
                log.warn("pgroll: the application's DataSource ("
                        + applicationDataSource.getClass().getName()
                        + ") is not pinned to version " + version().get() + ": the starter pins a pool that takes"
                        + " a URL and a driver class (HikariCP, Tomcat's, DBCP2, SimpleDriverDataSource). Use one,"
                        + " or a jdbc:pgroll: URL with pgrollVersion="
                        + version().get() + ".");
            }
        } catch (SQLException e) {
            throw new PgrollVersionUnavailableException(version().get(), pgroll.liveVersions(), e);
        }
    }

    /** The engine, configured for the migrator's connection. */
    public Pgroll pgroll() {
        return pgroll;
    }

    /** The newest migration this build ships: the version its DataSource is pinned to. */
    public Optional<String> version() {
        return migrations.newest();
    }

    /** The migrations this instance started at startup, oldest first. */
    public List<String> started() {
        return started;
    }
}
