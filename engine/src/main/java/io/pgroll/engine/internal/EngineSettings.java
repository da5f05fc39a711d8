package io.pgroll.engine.internal;

import io.pgroll.engine.MigrationListener;
import java.time.Duration;
import javax.sql.DataSource;

/** The engine's configuration, copied once from the public builder: nothing here changes after. */
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
        Duration backfillBatchDelay,
        boolean useVersionSchema,
        MigrationListener listener) {}
