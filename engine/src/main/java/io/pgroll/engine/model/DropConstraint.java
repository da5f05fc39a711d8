package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code drop_constraint}: drops a single-column constraint, duplicating its column.
 *
 * @param table the table
 * @param name the constraint name
 * @param up SQL expression for the new (unconstrained) column from the old one, or null
 * @param down SQL expression for the old column from the new one, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DropConstraint(
        @JsonProperty("table") String table,
        @JsonProperty("name") String name,
        @JsonProperty("up") String up,
        @JsonProperty("down") String down)
        implements Operation {
    public static final String KIND = "drop_constraint";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return Names.describe(KIND, table, name);
    }
}
