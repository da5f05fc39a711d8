package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A table-level constraint of {@code create_table}.
 *
 * @param name the constraint name
 * @param type the constraint type
 * @param columns the constrained columns (not for exclude); never null
 * @param deferrable DEFERRABLE (not for check)
 * @param initiallyDeferred INITIALLY DEFERRED (not for check)
 * @param nullsNotDistinct NULLS NOT DISTINCT (unique only)
 * @param noInherit NO INHERIT (check only)
 * @param check the check expression (check only), or null
 * @param references the referenced table and columns (foreign key only), or null
 * @param exclude the exclusion definition (exclude only), or null
 * @param indexParameters index settings (unique, primary key, exclude), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TableConstraint(
        @JsonProperty("name") String name,
        @JsonProperty("type") ConstraintType type,
        @JsonProperty("columns") List<String> columns,
        @JsonProperty("deferrable") boolean deferrable,
        @JsonProperty("initially_deferred") boolean initiallyDeferred,
        @JsonProperty("nulls_not_distinct") boolean nullsNotDistinct,
        @JsonProperty("no_inherit") boolean noInherit,
        @JsonProperty("check") String check,
        @JsonProperty("references") TableForeignKeyReference references,
        @JsonProperty("exclude") ExcludeDefinition exclude,
        @JsonProperty("index_parameters") IndexParameters indexParameters) {

    public TableConstraint {
        columns = columns == null ? List.of() : List.copyOf(columns);
    }
}
