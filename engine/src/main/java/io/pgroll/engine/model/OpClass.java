package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The operator class of an index element.
 *
 * @param name the operator class name, or null
 * @param params the operator class parameters; never null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OpClass(
        @JsonProperty("name") String name,
        @JsonProperty("params") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> params) {

    public OpClass {
        params = params == null ? List.of() : List.copyOf(params);
    }
}
