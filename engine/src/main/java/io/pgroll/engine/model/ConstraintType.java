package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The type of a table-level constraint; the JSON names are lower-case. */
public enum ConstraintType {
    @JsonProperty("unique")
    UNIQUE("unique"),
    @JsonProperty("check")
    CHECK("check"),
    @JsonProperty("primary_key")
    PRIMARY_KEY("primary_key"),
    @JsonProperty("foreign_key")
    FOREIGN_KEY("foreign_key"),
    @JsonProperty("exclude")
    EXCLUDE("exclude");

    private final String jsonName;

    ConstraintType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name in the file format: {@code unique}, {@code check}, {@code primary_key}, … */
    public String jsonName() {
        return jsonName;
    }

    /** The type with this file-format name, or null. */
    public static ConstraintType fromJsonName(String name) {
        for (ConstraintType t : values()) {
            if (t.jsonName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
