package io.pgroll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationWriter;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schema made without the tool taken as the starting point of its history: nothing in it changes, and
 * the migrations after the baseline apply on top; {@code migrate}, {@code deploy} and {@code pull}
 * count the history from the newest baseline on.
 */
@ExtendWith(PostgresExtension.class)
class BaselineTest {
    private static final String EXISTING_SCHEMA = "CREATE TABLE users (id serial PRIMARY KEY, name text)";
    private static final String ADD_EMAIL =
            """
            operations:
              - add_column:
                  table: users
                  column: {name: email, type: text, nullable: true}
            """;
    private static final String ADD_AGE =
            """
            operations:
              - add_column:
                  table: users
                  column: {name: age, type: integer, nullable: true}
            """;

    @Test
    void aBaselineChangesNothingAndTheMigrationsAfterItApply(TestDatabase db, @TempDir Path dir) throws Exception {
        var h = MigrationHarness.create(db);
        h.sql(EXISTING_SCHEMA, "INSERT INTO users (name) VALUES ('ann')");
        String before = h.fingerprint();

        h.pgroll().baseline("01_initial");

        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(h.pgroll().history()).singleElement().satisfies(m -> assertThat(
                        List.of(m.name(), m.type(), m.done()))
                .containsExactly("01_initial", "baseline", true));
        assertThat(h.pgroll().status().state()).isEqualTo(Status.State.COMPLETE);

        // the files before the baseline's own are what it stands for: they do not apply
        write(dir, "00_made_by_hand", "operations:\n  - sql: {up: 'CREATE TABLE users (id int)'}\n");
        write(dir, Migration.baselinePlaceholder("01_initial"));
        write(dir, "02_email", ADD_EMAIL);
        assertThat(h.pgroll().migrate(dir, false)).containsExactly("02_email");
        // the version before is the tables themselves: a baseline publishes no version schema
        assertThat(h.pgroll().liveVersions()).containsExactly("02_email");
        h.pgroll().complete();
        try (var c = h.version("02_email");
                var rs = c.createStatement().executeQuery("SELECT name, email FROM users")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("ann");
        }

        write(dir, "03_age", ADD_AGE);
        assertThat(h.pgroll().migrate(dir, true)).containsExactly("03_age");
        assertThat(h.pgroll().recordedMigrations())
                .extracting(Migration::name)
                .containsExactly("01_initial", "02_email", "03_age");
        assertThat(h.pgroll().recordedMigrations().get(0)).isEqualTo(Migration.baselinePlaceholder("01_initial"));

        // an application build ships the same files: nothing to do
        assertThat(h.pgroll()
                        .deploy(
                                List.of(
                                        Migration.baselinePlaceholder("01_initial"),
                                        MigrationHarness.migration("02_email", ADD_EMAIL),
                                        MigrationHarness.migration("03_age", ADD_AGE)),
                                "the build",
                                false))
                .isEmpty();
    }

    @Test
    void aSecondBaselineRestartsTheHistoryTheFilesAreMatchedWith(TestDatabase db, @TempDir Path dir) {
        var h = MigrationHarness.create(db);
        h.sql(EXISTING_SCHEMA);
        h.pgroll().baseline("01_initial");
        h.startAndComplete("02_email", ADD_EMAIL);
        h.pgroll().baseline("03_consolidated");

        write(dir, Migration.baselinePlaceholder("03_consolidated"));
        write(dir, "04_age", ADD_AGE);
        assertThat(h.pgroll().migrate(dir, true)).containsExactly("04_age");
        assertThat(h.pgroll().recordedMigrations())
                .extracting(Migration::name)
                .containsExactly("03_consolidated", "04_age");
    }

    @Test
    void aDirectoryWithoutTheBaselinesFileIsRefused(TestDatabase db, @TempDir Path dir) {
        var h = MigrationHarness.create(db);
        h.sql(EXISTING_SCHEMA);
        h.pgroll().baseline("01_initial");
        write(dir, "02_email", ADD_EMAIL);

        assertThatThrownBy(() -> h.pgroll().migrate(dir, false))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("the history starts from baseline \"01_initial\", which has no file here")
                .hasMessageContaining("nothing was changed");
        assertThat(h.pgroll().history()).hasSize(1);
    }

    @Test
    void aBaselineIsRefusedWhileAMigrationIsInProgressOrUnderANameTaken(TestDatabase db) {
        var h = MigrationHarness.create(db);
        h.startAndComplete("01_users", "operations:\n  - create_table: {name: t, columns: [{name: id, type: int}]}\n");
        h.start("02_email", "operations:\n  - add_column: {table: t, column: {name: e, type: text, nullable: true}}\n");

        assertThatThrownBy(() -> h.pgroll().baseline("03_base"))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("migration \"02_email\" is in progress")
                .hasMessageContaining("nothing was changed");
        h.pgroll().complete();
        assertThatThrownBy(() -> h.pgroll().baseline("01_users"))
                .hasMessageContaining("the history has a migration of that name already");
        assertThatThrownBy(() -> h.pgroll().baseline(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(h.pgroll().history()).extracting(MigrationInfo::name).containsExactly("01_users", "02_email");
    }

    @Test
    void aNewDatabaseRefusesAPlaceholderNotFilledIn(TestDatabase db, @TempDir Path dir) {
        var h = MigrationHarness.create(db);
        write(dir, Migration.baselinePlaceholder("01_initial"));

        assertThatThrownBy(() -> h.pgroll().migrate(dir, false))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("01_initial")
                .hasMessageContaining("`up` is empty")
                .hasMessageContaining("pg_dump");
        assertThat(h.pgroll().history()).isEmpty();
    }

    private static void write(Path dir, Migration migration) {
        try {
            Files.writeString(dir.resolve(migration.name() + ".yaml"), MigrationWriter.yaml(migration));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path dir, String name, String yaml) {
        write(dir, MigrationHarness.migration(name, yaml));
    }
}
