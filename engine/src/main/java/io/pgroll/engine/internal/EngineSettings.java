package io.pgroll.engine.internal;

import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.internal.backfill.BackfillPacing;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The engine's configuration, copied once from the public builder: nothing here changes after.
 *
 * @param backfill how fast backfills go
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
        BackfillPacing backfill,
        boolean useVersionSchema,
        boolean acceptOutsideDdl,
        MigrationListener listener) {}
