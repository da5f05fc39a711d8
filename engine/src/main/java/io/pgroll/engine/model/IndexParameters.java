package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Settings of the index behind a unique, primary key or exclusion constraint.
 *
 * @param tablespace USING INDEX TABLESPACE, or null
 * @param storageParameters WITH (...), or null
 * @param includeColumns INCLUDE (...); never null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IndexParameters(
        @JsonProperty("tablespace") String tablespace,
        @JsonProperty("storage_parameters") String storageParameters,
        @JsonProperty("include_columns") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> includeColumns) {

    public IndexParameters {
        includeColumns = includeColumns == null ? List.of() : List.copyOf(includeColumns);
    }
}
