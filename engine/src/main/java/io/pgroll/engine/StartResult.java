package io.pgroll.engine;

/**
 * What {@code start} did. {@code alreadyApplied} is true when the same migration, with the same
 * content, was already active or done, so nothing was changed (ten replicas starting at once all get a
 * success). {@code versionSchema} is the full name of the schema the new version's clients pin to, or
 * null when version schemas are turned off.
 */
public record StartResult(String migration, String versionSchema, boolean alreadyApplied, boolean completed) {}
