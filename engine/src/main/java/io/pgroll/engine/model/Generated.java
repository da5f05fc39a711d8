package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A generated column: either a stored expression or an identity.
 *
 * @param expression the GENERATED ALWAYS AS (...) STORED expression, or null
 * @param identity the identity definition, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Generated(@JsonProperty("expression") String expression, @JsonProperty("identity") Identity identity) {}
