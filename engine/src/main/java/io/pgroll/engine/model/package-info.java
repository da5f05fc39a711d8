/**
 * The migration model: pgroll's migration format as immutable records, and {@link
 * io.pgroll.engine.model.MigrationReader}, which reads it from YAML or JSON with a hand-written
 * structural validation (the rules of pgroll's JSON Schema) and writes it back as pgroll's JSON.
 *
 * <p>A {@link io.pgroll.engine.model.Migration} holds {@link io.pgroll.engine.model.Operation}s, one
 * record per operation kind. Absent optional values are null; lists and maps are never null. Whether
 * a migration fits a database (tables exist, names fit in 63 bytes, …) is not checked here but by the
 * engine's validation.
 */
package io.pgroll.engine.model;
