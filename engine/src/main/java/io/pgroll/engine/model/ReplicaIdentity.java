package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The replica identity {@code set_replica_identity} sets.
 *
 * @param type full, default, nothing or index (any letter case, as pgroll accepts), as written
 * @param index the index to use when {@code type} is index
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplicaIdentity(@JsonProperty("type") String type, @JsonProperty("index") String index) {}
