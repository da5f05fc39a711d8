package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An exclusion constraint: EXCLUDE USING indexMethod (elements) WHERE (predicate).
 *
 * @param indexMethod the index method, or null
 * @param elements the exclusion elements, e.g. {@code title WITH =}, or null
 * @param predicate the WHERE predicate, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExcludeDefinition(
        @JsonProperty("index_method") String indexMethod,
        @JsonProperty("elements") String elements,
        @JsonProperty("predicate") String predicate) {}
