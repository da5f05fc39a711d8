package io.pgroll.cli;

import static io.pgroll.cli.CommandRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgroll.cli.CliLifecycleTest.Cli;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** -j/--json: the result, or the error, as one JSON object on stdout; people's lines stay on stderr. */
@ExtendWith(PostgresExtension.class)
class CliJsonOutputTest {

    @Test
    void everyReportingCommandAnswersInJson(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "json_out");
        cli.run("init").succeeded();
        write(dir, "01_users.yaml", Migrations.CREATE_USERS);
        write(dir, "02_email.yaml", Migrations.ADD_EMAIL);

        JsonNode migrate = cli.run(
                        "migrate",
                        "-j",
                        "-c",
                        dir.resolve("..").resolve(dir.getFileName()).toString())
                .succeeded()
                .json();
        assertThat(migrate.path("started").toString()).isEqualTo("[\"01_users\",\"02_email\"]");
        assertThat(migrate.path("lastCompleted").asBoolean()).isTrue();

        JsonNode latest = cli.run("latest", "migration", "--json").succeeded().json();
        assertThat(latest.path("migration").asText()).isEqualTo("02_email");
        assertThat(cli.run("latest", "schema").succeeded().out()).isEqualTo("json_out_02_email\n");

        Path items = write(dir, "03_items.yaml", Migrations.CREATE_ITEMS);
        assertThat(cli.run("validate", "-j", items.toString())
                        .succeeded()
                        .json()
                        .path("valid")
                        .asBoolean())
                .isTrue();
        JsonNode start =
                cli.run("start", "--json", items.toString()).succeeded().json();
        assertThat(start.path("migration").asText()).isEqualTo("03_items");
        assertThat(start.path("versionSchema").asText()).isEqualTo("json_out_03_items");
        assertThat(start.path("completed").asBoolean()).isFalse();
        assertThat(cli.run("rollback", "-j")
                        .succeeded()
                        .json()
                        .path("rolledBack")
                        .asBoolean())
                .isTrue();

        Path missing = write(dir, "04_drop.yaml", "operations:\n  - drop_table: {name: missing}\n");
        var failed = cli.run("start", "-j", missing.toString());
        failed.failedWith("04_drop.yaml", "missing");
        JsonNode error = failed.json().path("error");
        assertThat(error.path("kind").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(error.path("message").asText()).contains("04_drop.yaml", "missing");

        var outsideDb = cli.run("complete", "-j");
        outsideDb.failedWith("no migration");
        assertThat(outsideDb.json().path("error").path("kind").asText()).isEqualTo("WRONG_STATE");
    }
}
