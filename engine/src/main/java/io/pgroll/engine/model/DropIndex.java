package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code drop_index}.
 *
 * @param name the index name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DropIndex(@JsonProperty("name") String name) implements Operation {
    public static final String KIND = "drop_index";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return Names.describe(KIND, name);
    }
}
