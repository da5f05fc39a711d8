package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code rename_constraint}.
 *
 * @param table the table
 * @param from the current constraint name
 * @param to the new constraint name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RenameConstraint(
        @JsonProperty("table") String table, @JsonProperty("from") String from, @JsonProperty("to") String to)
        implements Operation {
    public static final String KIND = "rename_constraint";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return Names.describe(KIND, table, from);
    }
}
