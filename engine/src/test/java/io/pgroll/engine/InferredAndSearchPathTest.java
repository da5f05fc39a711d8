package io.pgroll.engine;

import static io.pgroll.testing.Rows.exec;
import static io.pgroll.testing.Rows.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class InferredAndSearchPathTest {
    private static final String CREATE =
            "operations:\n  - create_table: {name: items, columns: [{name: id, type: serial, pk: true}, {name: name, type: text}]}\n";

    @Test
    void ddlMadeOutsideTheToolIsRecordedOnceAsInferred(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.sql("ALTER TABLE items ADD COLUMN note text");
        List<MigrationInfo> history = h.pgroll().history();
        assertThat(history).extracting(MigrationInfo::type).containsExactly("pgroll", "inferred");
        assertThat(history.get(1).migrationJson()).contains("ALTER TABLE items ADD COLUMN note text");
        assertThat(history.get(1).parent()).isEqualTo("01_create");
        // the tool's own DDL is not recorded a second time, and the version is still the tool's
        h.startAndComplete(
                "02_index",
                "operations:\n  - create_index: {name: idx_name, table: items, columns: [{column: name}]}\n");
        assertThat(h.pgroll().history())
                .extracting(MigrationInfo::type)
                .containsExactly("pgroll", "inferred", "pgroll");
        assertThat(h.pgroll().status().version()).isEqualTo("02_index");
        // a schema the tool does not manage is not recorded at all
        db.execute("CREATE SCHEMA unmanaged", "CREATE TABLE unmanaged.t (id int)");
        assertThat(db.queryValue("SELECT count(*) FROM pgroll.migrations WHERE schema = 'unmanaged'"))
                .isEqualTo("0");
    }

    @Test
    void upFindsTheTargetSchemasFunctionsWhateverTheWritersSearchPath(TestDatabase db) throws Exception {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.sql(
                "CREATE FUNCTION slugify(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(replace(t, ' ', '-')) $$");
        h.sql("INSERT INTO items (name) VALUES ('Hello World')");
        h.start(
                "02_slug",
                "operations:\n  - add_column: {table: items, up: slugify(name), column: {name: slug, type: text, nullable: true}}\n");
        try (Connection oldVersion = h.version("01_create");
                Connection newVersion = h.version("02_slug")) {
            // the old version's session cannot see slugify on its search path; the trigger still can
            exec(oldVersion, "INSERT INTO items (name) VALUES ('Big Apple')");
            assertThat(rows(newVersion, "SELECT slug FROM items ORDER BY id"))
                    .containsExactly(List.of("hello-world"), List.of("big-apple"));
            assertThat(rows(oldVersion, "SHOW search_path")).containsExactly(List.of(h.schema() + "_01_create"));
        }
        h.pgroll().complete();
    }

    @Test
    void aTriggerOfBuiltInsAloneLeavesTheWritersPathAndOneThatCouldMeanTheSchemasObjectsPinsIt(TestDatabase db)
            throws Exception {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        // a function of the target schema with a built-in's name: it takes precedence on the pinned path
        h.sql("CREATE FUNCTION initcap(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'schema:' || t $$");
        h.sql("CREATE TYPE mood AS ENUM ('calm', 'busy')", "INSERT INTO items (name) VALUES ('ab')");
        h.start(
                "02_derived",
                """
                operations:
                  - add_column: {table: items, up: "upper(name) || '-' || length(name)", column: {name: plain, type: text, nullable: true}}
                  - add_column: {table: items, up: initcap(name), column: {name: shadowed, type: text, nullable: true}}
                  - add_column: {table: items, up: "'calm'", column: {name: feeling, type: mood, nullable: true}}
                  - add_column: {table: items, up: "nextval('items_id_seq')", column: {name: numbered, type: bigint, nullable: true}}
                """);
        assertThat(pinnedPathOfTriggerFor(h, "plain")).isEqualTo("none");
        assertThat(pinnedPathOfTriggerFor(h, "shadowed")).contains("search_path=");
        assertThat(pinnedPathOfTriggerFor(h, "numbered")).contains("search_path=");
        try (Connection oldVersion = h.version("01_create");
                Connection newVersion = h.version("02_derived")) {
            exec(oldVersion, "INSERT INTO items (name) VALUES ('cd')");
            assertThat(rows(newVersion, "SELECT plain, shadowed, feeling::text FROM items ORDER BY id"))
                    .containsExactly(List.of("AB-2", "schema:ab", "calm"), List.of("CD-2", "schema:cd", "calm"));
        }
        // the enum-typed column's trigger reads no typed variable; the expression alone is built-in
        assertThat(pinnedPathOfTriggerFor(h, "feeling")).isEqualTo("none");
    }

    /** The SET clause of the up trigger function that fills a new column, or "none". */
    private static String pinnedPathOfTriggerFor(MigrationHarness h, String column) {
        return h.db().queryValue("SELECT coalesce(array_to_string(proconfig, ','), 'none') FROM pg_proc"
                + " WHERE pronamespace = '" + h.schema() + "'::regnamespace AND proname LIKE '_pgroll_up_%_"
                + column + "'");
    }

    @Test
    void versionSchemaNamesLongerThanPostgresKeepsAreRefused(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        String name = "01_" + "x".repeat(60);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.start(name, CREATE))
                .hasMessageContaining("longer than 63 bytes");
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.NO_MIGRATIONS);
    }
}
