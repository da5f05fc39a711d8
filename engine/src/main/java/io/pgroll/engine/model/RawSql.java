package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code sql}: raw SQL, run at start (or at complete with {@code onComplete}), outside pgroll's
 * versioning: the new version sees its effect only through the schema it leaves behind.
 *
 * @param up the SQL run at start (or complete)
 * @param down the SQL run at rollback, or null; never together with {@code onComplete}
 * @param onComplete run {@code up} at complete instead of start (JSON key {@code onComplete}, camelCase in the format)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RawSql(
        @JsonProperty("up") String up,
        @JsonProperty("down") String down,
        @JsonProperty("onComplete") boolean onComplete)
        implements Operation {
    public static final String KIND = "sql";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return KIND;
    }
}
