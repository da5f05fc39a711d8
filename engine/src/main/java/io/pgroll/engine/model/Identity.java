package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An identity column: GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(sequence options)].
 *
 * @param userSpecifiedValues {@code ALWAYS} or {@code BY DEFAULT}; null means ALWAYS
 * @param sequenceOptions the sequence options, as in CREATE SEQUENCE, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Identity(
        @JsonProperty("user_specified_values") String userSpecifiedValues,
        @JsonProperty("sequence_options") String sequenceOptions) {}
