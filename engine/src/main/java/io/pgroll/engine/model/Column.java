package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A column of {@code create_table} or {@code add_column}.
 *
 * @param name the column name
 * @param type the PostgreSQL type, as written
 * @param pk part of the primary key
 * @param nullable nullable (columns are NOT NULL unless this is true)
 * @param unique has a unique constraint
 * @param defaultValue the DEFAULT expression (JSON {@code default}), or null
 * @param comment the column comment, or null
 * @param check a check constraint on the column, or null
 * @param references a foreign key from the column, or null
 * @param generated a generated or identity column definition, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Column(
        @JsonProperty("name") String name,
        @JsonProperty("type") String type,
        @JsonProperty("pk") boolean pk,
        @JsonProperty("nullable") boolean nullable,
        @JsonProperty("unique") boolean unique,
        @JsonProperty("default") String defaultValue,
        @JsonProperty("comment") String comment,
        @JsonProperty("check") CheckConstraint check,
        @JsonProperty("references") ForeignKeyReference references,
        @JsonProperty("generated") Generated generated) {}
