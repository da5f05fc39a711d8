package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * {@code alter_column}: one or more changes to a column, made on a duplicate of it kept in sync by triggers.
 *
 * <p>{@code defaultValue} and {@code comment} are tri-state, as in the file format: a null field means the
 * key is absent (leave as is), {@link Optional#empty()} means an explicit JSON {@code null} (drop the
 * default, remove the comment), and a value sets it.
 *
 * @param table the table
 * @param column the column to alter
 * @param type the new type, or null
 * @param nullable the new nullability, or null to leave it
 * @param defaultValue JSON {@code default}: null = absent, empty = drop the default, value = set it
 * @param comment null = absent, empty = remove the comment, value = set it
 * @param unique a unique constraint to add, or null
 * @param check a check constraint to add, or null
 * @param references a foreign key to add, or null
 * @param up SQL expression for the new column from the old one, or null
 * @param down SQL expression for the old column from the new one, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlterColumn(
        @JsonProperty("table") String table,
        @JsonProperty("column") String column,
        @JsonProperty("type") String type,
        @JsonProperty("nullable") Boolean nullable,
        @JsonProperty("default") Optional<String> defaultValue,
        @JsonProperty("comment") Optional<String> comment,
        @JsonProperty("unique") UniqueConstraintRef unique,
        @JsonProperty("check") CheckConstraint check,
        @JsonProperty("references") ForeignKeyReference references,
        @JsonProperty("up") String up,
        @JsonProperty("down") String down)
        implements Operation {
    public static final String KIND = "alter_column";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return Names.describe(KIND, table, column);
    }

    /** True if the operation changes anything: at least one of the change fields is present. */
    public boolean hasChanges() {
        return type != null
                || nullable != null
                || defaultValue != null
                || comment != null
                || unique != null
                || check != null
                || references != null;
    }
}
