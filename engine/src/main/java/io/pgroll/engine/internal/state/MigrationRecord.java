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
        OffsetDateTime updatedAt) {

    /** A migration of this tool (or pgroll), rather than a baseline or DDL recorded from outside. */
    public boolean isMigration() {
        return migrationType.equals("pgroll");
    }

    public boolean isBaseline() {
        return migrationType.equals("baseline");
    }

    /** DDL made outside the tool, recorded by its event trigger. */
    public boolean isInferred() {
        return migrationType.equals("inferred");
    }
}
