package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code add_column}.
 *
 * @param table the table to add the column to
 * @param column the new column
 * @param up SQL expression filling the new column from the old version's rows, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AddColumn(
        @JsonProperty("table") String table, @JsonProperty("column") Column column, @JsonProperty("up") String up)
        implements Operation {
    public static final String KIND = "add_column";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return Names.describe(KIND, table, column == null ? null : column.name());
    }
}
