package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code create_index}, built concurrently.
 *
 * @param name the index name
 * @param table the table
 * @param columns the index elements, in order; never null
 * @param predicate the WHERE clause of a partial index, or null
 * @param method btree, hash, gist, spgist, gin or brin; null means btree
 * @param storageParameters the WITH (...) storage parameters, or null
 * @param unique whether the index is unique
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateIndex(
        @JsonProperty("name") String name,
        @JsonProperty("table") String table,
        @JsonProperty("columns") List<IndexField> columns,
        @JsonProperty("predicate") String predicate,
        @JsonProperty("method") String method,
        @JsonProperty("storage_parameters") String storageParameters,
        @JsonProperty("unique") boolean unique)
        implements Operation {
    public static final String KIND = "create_index";

    public CreateIndex {
        columns = columns == null ? List.of() : List.copyOf(columns);
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
