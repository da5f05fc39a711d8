package io.pgroll.spring;

import java.util.List;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** Up while the version this build is written for exists; down once it is retired. */
public class PgrollHealthIndicator extends AbstractHealthIndicator {
    private final PgrollMigrator migrator;

    public PgrollHealthIndicator(PgrollMigrator migrator) {
        super("pgroll health check failed");
        this.migrator = migrator;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<String> live = migrator.pgroll().liveVersions();
        String version = migrator.version().orElse(null);
        builder.withDetail("buildVersion", String.valueOf(version)).withDetail("liveVersions", live);
        if (version == null || live.contains(version)) {
            builder.up();
        } else {
            builder.down()
                    .withDetail("reason", "version " + version + " was retired; deploy the build of one of " + live);
        }
    }
}
