package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The referenced side of a multi-column foreign key.
 *
 * @param table the referenced table
 * @param columns the referenced columns, in order; never null
 * @param matchType SIMPLE, FULL or PARTIAL; null means SIMPLE
 * @param onDelete NO ACTION, RESTRICT, CASCADE, SET NULL or SET DEFAULT; null means NO ACTION
 * @param onUpdate as {@code onDelete}
 * @param onDeleteSetColumns the columns SET NULL / SET DEFAULT applies to on delete; never null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TableForeignKeyReference(
        @JsonProperty("table") String table,
        @JsonProperty("columns") List<String> columns,
        @JsonProperty("match_type") String matchType,
        @JsonProperty("on_delete") String onDelete,
        @JsonProperty("on_update") String onUpdate,
        @JsonProperty("on_delete_set_columns") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                List<String> onDeleteSetColumns) {

    public TableForeignKeyReference {
        columns = columns == null ? List.of() : List.copyOf(columns);
        onDeleteSetColumns = onDeleteSetColumns == null ? List.of() : List.copyOf(onDeleteSetColumns);
    }

    /** The same reference to another table and columns: the ones that physically hold the referenced. */
    public TableForeignKeyReference withTarget(String targetTable, List<String> targetColumns) {
        return new TableForeignKeyReference(
                targetTable, targetColumns, matchType, onDelete, onUpdate, onDeleteSetColumns);
    }
}
