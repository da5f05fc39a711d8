package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The unique constraint {@code alter_column} adds.
 *
 * @param name the constraint name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UniqueConstraintRef(@JsonProperty("name") String name) {}
