package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * {@code drop_multicolumn_constraint}: drops a constraint, duplicating each of its columns.
 *
 * @param table the table
 * @param name the constraint name
 * @param up per column, SQL for the new column from the old one; never null, order kept
 * @param down per column, SQL for the old column from the new one; never null, order kept
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DropMultiColumnConstraint(
        @JsonProperty("table") String table,
        @JsonProperty("name") String name,
        @JsonProperty("up") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> up,
        @JsonProperty("down") Map<String, String> down)
        implements Operation {
    public static final String KIND = "drop_multicolumn_constraint";

    public DropMultiColumnConstraint {
        up = Maps.copyOf(up);
        down = Maps.copyOf(down);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return Names.describe(KIND, table, name);
    }
}
