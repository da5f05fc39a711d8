package io.pgroll.engine.internal.state;

import java.time.OffsetDateTime;

/** One row of the migration history. {@code migration} is the JSON the state store holds. */
public record MigrationRecord(
        String schema,
        String name,
        String migration,
        String parent,
        boolean done,
        String migrationType,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {}
