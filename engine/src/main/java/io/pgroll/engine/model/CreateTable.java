package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code create_table}: a new table with its columns and table-level constraints.
 *
 * @param name the table name
 * @param columns the columns, in order; never null
 * @param comment the table comment, or null
 * @param constraints the table-level constraints; never null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateTable(
        @JsonProperty("name") String name,
        @JsonProperty("columns") List<Column> columns,
        @JsonProperty("comment") String comment,
        @JsonProperty("constraints") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TableConstraint> constraints)
        implements Operation {
    public static final String KIND = "create_table";

    public CreateTable {
        columns = columns == null ? List.of() : List.copyOf(columns);
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return Names.describe(KIND, name);
    }
}
