package io.pgroll.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One migration: a named, ordered list of operations applied together by {@code start} and made
 * permanent by {@code complete}. Read it with {@link MigrationReader}, which validates the format.
 *
 * @param name the migration name (from the file name when read from a file)
 * @param versionSchema the version schema suffix to use instead of the name, or null
 * @param operations the operations, in order; never null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Migration(
        @JsonProperty("name") String name,
        @JsonProperty("version_schema") String versionSchema,
        @JsonProperty("operations") List<Operation> operations) {

    public Migration {
        operations = operations == null ? List.of() : List.copyOf(operations);
    }

    /**
     * The file that stands for a baseline among the migrations: one {@code sql} operation whose empty
     * {@code up} is there to be given the schema's DDL, which a new database then runs. A database with
     * the baseline in its history never runs it.
     */
    public static Migration baselinePlaceholder(String name) {
        return new Migration(name, null, List.of(new RawSql("", null, false)));
    }

    /** The suffix of this migration's version schema: {@code version_schema} if set, else the name. */
    public String effectiveVersionSchema() {
        return versionSchema != null ? versionSchema : name;
    }

    /** This migration's version schema when it migrates {@code schema}: {@code <schema>_<version>}. */
    public String versionSchemaIn(String schema) {
        return versionSchemaName(schema, effectiveVersionSchema());
    }

    /**
     * The version schema of a version of {@code schema}, as pgroll names it: {@code <schema>_<version>}.
     * The one definition of the engine and the CLI; the thin driver, which has no engine, spells it too.
     */
    public static String versionSchemaName(String schema, String version) {
        return schema + "_" + version;
    }
}
