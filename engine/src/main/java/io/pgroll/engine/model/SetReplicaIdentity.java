package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code set_replica_identity}.
 *
 * @param table the table
 * @param identity the replica identity to set
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SetReplicaIdentity(
        @JsonProperty("table") String table, @JsonProperty("identity") ReplicaIdentity identity) implements Operation {
    public static final String KIND = "set_replica_identity";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return Names.describe(KIND, table);
    }
}
