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
    void versionSchemaNamesLongerThanPostgresKeepsAreRefused(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        String name = "01_" + "x".repeat(60);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.start(name, CREATE))
                .hasMessageContaining("longer than 63 bytes");
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.NO_MIGRATIONS);
    }
}
