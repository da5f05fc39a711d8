package io.pgroll.engine.internal;

import io.pgroll.engine.MigrationListener;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The engine's configuration, copied once from the public builder: nothing here changes after.
 *
 * @param backfillBatchSize rows of every backfill batch when {@code backfillBatchTime} is null, else
 *     of the first
 * @param backfillBatchTime the time a backfill batch should take, its size adapted to it; null for
 *     batches of a fixed size
 * @param acceptOutsideDdl whether complete and rollback go on (with a notice) when the schema changed
 *     outside the tool since start, instead of refusing
 */
public record EngineSettings(
        DataSource dataSource,
        String schema,
        String stateSchema,
        Duration lockTimeout,
        Duration lockRetryBudget,
        Duration concurrentStatementTimeout,
        Duration migratorWait,
        String role,
        int backfillBatchSize,
        Duration backfillBatchTime,
        Duration backfillBatchDelay,
        boolean useVersionSchema,
        boolean acceptOutsideDdl,
        MigrationListener listener) {}
