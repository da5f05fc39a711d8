package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code drop_column}.
 *
 * @param table the table
 * @param column the column to drop
 * @param down SQL expression filling the column for writes made through the new version, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DropColumn(
        @JsonProperty("table") String table, @JsonProperty("column") String column, @JsonProperty("down") String down)
        implements Operation {
    public static final String KIND = "drop_column";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return Names.describe(KIND, table, column);
    }
}
