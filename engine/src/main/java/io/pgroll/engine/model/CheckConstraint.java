package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A single-column check constraint ({@code check} of a column or of {@code alter_column}).
 *
 * @param name the constraint name
 * @param constraint the check expression
 * @param noInherit NO INHERIT
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckConstraint(
        @JsonProperty("name") String name,
        @JsonProperty("constraint") String constraint,
        @JsonProperty("no_inherit") boolean noInherit) {}
