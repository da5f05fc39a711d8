package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A single-column foreign key ({@code references} of a column or of {@code alter_column}).
 *
 * @param name the constraint name
 * @param table the referenced table
 * @param column the referenced column
 * @param matchType SIMPLE, FULL or PARTIAL; null means SIMPLE
 * @param onDelete NO ACTION, RESTRICT, CASCADE, SET NULL or SET DEFAULT; null means NO ACTION
 * @param onUpdate as {@code onDelete}
 * @param deferrable DEFERRABLE
 * @param initiallyDeferred INITIALLY DEFERRED
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ForeignKeyReference(
        @JsonProperty("name") String name,
        @JsonProperty("table") String table,
        @JsonProperty("column") String column,
        @JsonProperty("match_type") String matchType,
        @JsonProperty("on_delete") String onDelete,
        @JsonProperty("on_update") String onUpdate,
        @JsonProperty("deferrable") boolean deferrable,
        @JsonProperty("initially_deferred") boolean initiallyDeferred) {

    /** The same reference to another table and column: the ones that physically hold the referenced. */
    public ForeignKeyReference withTarget(String targetTable, String targetColumn) {
        return new ForeignKeyReference(
                name, targetTable, targetColumn, matchType, onDelete, onUpdate, deferrable, initiallyDeferred);
    }
}
