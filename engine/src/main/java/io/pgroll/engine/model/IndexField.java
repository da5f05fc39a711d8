package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One element of {@code create_index}.
 *
 * @param column the column name
 * @param collate the collation, or null
 * @param sort ASC, DESC, or null
 * @param opclass the operator class, or null
 * @param nulls FIRST, LAST, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IndexField(
        @JsonProperty("column") String column,
        @JsonProperty("collate") String collate,
        @JsonProperty("sort") String sort,
        @JsonProperty("opclass") OpClass opclass,
        @JsonProperty("nulls") String nulls) {}
