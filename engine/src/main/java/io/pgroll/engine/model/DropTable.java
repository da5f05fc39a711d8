package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code drop_table}: the table disappears from the new version at start, and from the database at complete.
 *
 * @param name the table name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DropTable(@JsonProperty("name") String name) implements Operation {
    public static final String KIND = "drop_table";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return Names.describe(KIND, name);
    }
}
