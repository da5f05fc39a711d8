package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code create_constraint}: a (possibly multi-column) constraint added to an existing table, with the
 * affected columns duplicated and backfilled through {@code up}/{@code down}.
 *
 * @param table the table
 * @param name the constraint name
 * @param type unique, check, foreign_key or primary_key
 * @param columns the constrained columns; never null
 * @param check the check expression (type check), or null
 * @param noInherit NO INHERIT (check constraints)
 * @param indexParameters index settings (unique, primary key), or null
 * @param references the referenced table and columns (foreign key), or null
 * @param up per column, the SQL expression for the new column from the old one; never null, order kept
 * @param down per column, the SQL expression for the old column from the new one; never null, order kept
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateConstraint(
        @JsonProperty("table") String table,
        @JsonProperty("name") String name,
        @JsonProperty("type") ConstraintType type,
        @JsonProperty("columns") List<String> columns,
        @JsonProperty("check") String check,
        @JsonProperty("no_inherit") boolean noInherit,
        @JsonProperty("index_parameters") IndexParameters indexParameters,
        @JsonProperty("references") TableForeignKeyReference references,
        @JsonProperty("up") Map<String, String> up,
        @JsonProperty("down") Map<String, String> down)
        implements Operation {
    public static final String KIND = "create_constraint";

    public CreateConstraint {
        columns = columns == null ? List.of() : List.copyOf(columns);
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
