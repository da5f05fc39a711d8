package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code rename_table}.
 *
 * @param from the current table name
 * @param to the new table name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RenameTable(@JsonProperty("from") String from, @JsonProperty("to") String to) implements Operation {
    public static final String KIND = "rename_table";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return Names.describe(KIND, from);
    }
}
