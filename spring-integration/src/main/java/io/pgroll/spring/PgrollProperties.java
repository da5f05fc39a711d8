package io.pgroll.spring;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code pgroll.*} properties.
 *
 * @param enabled whether the build's migrations run at startup and Boot's DataSource is pinned to its version
 * @param locations where the build's migration files are (.yaml, .yml, .json), in Spring resource syntax
 * @param schema the schema the migrations change; its version schemas are named {@code <schema>_<version>}
 * @param stateSchema the schema that holds the migration history
 * @param lockTimeout how long one DDL statement may wait for a lock before it gives up and retries, so
 *     that it never queues the application's traffic behind it for longer
 * @param lockRetryBudget how long a DDL statement that keeps timing out on its lock is retried before
 *     startup fails naming the sessions that hold it, with nothing of that statement applied
 * @param backfillBatchSize rows per batch when a new column is filled for the existing rows, every batch
 *     the same (default: batches sized to take {@code backfill-batch-time} each)
 * @param backfillBatchTime the time each backfill batch should take when no fixed size is set: the
 *     longest an application writer of one of its rows waits for it
 * @param backfillBatchDelay pause between two backfill batches, to spare a busy primary
 * @param backfillMaxReplicaLag the replay lag of a standby past which each backfill batch waits for
 *     it to catch up (default: no bound); the migrator's role needs {@code pg_monitor}
 * @param backfillMaxReplicaLagBytes the WAL a standby may have left to replay before each backfill
 *     batch waits for it, e.g. {@code 64MB} (default: no bound); the migrator's role needs {@code
 *     pg_monitor}
 * @param url JDBC URL of the migrator's own connection (default: the application's); the migrator
 *     needs DDL rights, the application's role does not
 * @param user user of the migrator's connection (default: {@code spring.datasource.username})
 * @param password password of the migrator's connection
 * @param role a role the migrator SETs before migrating, typically the one owning the schema (its user
 *     a member of it), so that what migrations create belongs to that role
 * @param completePrevious whether this build may complete the migration that is still in progress in
 *     order to start its own: that retires the version the build before uses, so set it only once no
 *     instance of that build runs
 * @param acceptOutsideDdl whether completing the migration in progress (with {@code complete-previous})
 *     goes on although its tables were changed outside pgroll since it started; by default that fails
 *     startup, naming each change
 * @param pinDataSource whether the application's DataSource (HikariCP, Tomcat's, DBCP2, SimpleDriverDataSource) is
 *     pinned to the newest version this build ships
 */
@ConfigurationProperties("pgroll")
public record PgrollProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("classpath:db/pgroll") List<String> locations,
        @DefaultValue("public") String schema,
        @DefaultValue("pgroll") String stateSchema,
        @DefaultValue("500ms") Duration lockTimeout,
        @DefaultValue("10m") Duration lockRetryBudget,
        Integer backfillBatchSize,
        @DefaultValue("100ms") Duration backfillBatchTime,
        @DefaultValue("0s") Duration backfillBatchDelay,
        Duration backfillMaxReplicaLag,
        DataSize backfillMaxReplicaLagBytes,
        String url,
        String user,
        String password,
        String role,
        @DefaultValue("false") boolean completePrevious,
        @DefaultValue("false") boolean acceptOutsideDdl,
        @DefaultValue("true") boolean pinDataSource) {}
