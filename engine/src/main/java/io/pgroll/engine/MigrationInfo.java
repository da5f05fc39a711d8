package io.pgroll.engine;

import java.time.OffsetDateTime;

/** One migration of a schema's recorded history. {@code type} is pgroll, inferred or baseline. */
public record MigrationInfo(
        String name, String parent, String type, boolean done, OffsetDateTime createdAt, String migrationJson) {}
