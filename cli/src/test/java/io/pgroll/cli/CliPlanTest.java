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

/** {@code plan FILE}: the statements of start, complete and rollback for people, or as JSON; nothing changes. */
@ExtendWith(PostgresExtension.class)
class CliPlanTest {

    @Test
    void thePlanListsEachPhasesStatementsWithTheirLocks(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "plan_cli");
        cli.run("init").succeeded();
        cli.run(
                        "start",
                        "-c",
                        write(dir, "01_users.yaml", Migrations.CREATE_USERS).toString())
                .succeeded();
        Path email = write(dir, "02_email.yaml", Migrations.ADD_EMAIL);

        var plan = cli.run("plan", email.toString()).succeeded();

        assertThat(plan.out())
                .startsWith("Plan of migration 02_email on schema \"plan_cli\" (PostgreSQL ")
                .contains("\nstart\n  operation 1: ", "\ncomplete\n", "\nrollback\n")
                .contains("ALTER TABLE \"plan_cli\".\"users\" ADD COLUMN")
                .contains("locks users ACCESS EXCLUSIVE (blocks reads and writes until its transaction commits)")
                .contains("updates every row of users (rows unknown: never analysed)")
                .contains("DROP SCHEMA IF EXISTS \"plan_cli_01_users\" CASCADE")
                .doesNotContain("_pp");
        assertThat(cli.run("latest", "migration").succeeded().out()).isEqualTo("01_users\n");
        assertThat(cli.run("status").succeeded().out()).doesNotContain("02_email");

        JsonNode json =
                cli.run("plan", "-j", email.toString()).succeeded().json().path("plan");
        assertThat(json.path("migration").asText()).isEqualTo("02_email");
        assertThat(json.path("start").get(0).path("kind").asText()).isEqualTo("STATEMENT");
        assertThat(json.path("start").findValuesAsText("mode")).contains("ACCESS EXCLUSIVE");
        assertThat(json.path("rollback").isEmpty()).isFalse();

        // the real start then runs what the plan said
        cli.run("start", email.toString()).succeeded();
        assertThat(cli.run("plan", email.toString()).exitCode()).isNotZero();
    }

    @Test
    void aFileThatDoesNotFitIsNamed(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "plan_bad");
        cli.run("init").succeeded();
        Path bad = write(dir, "01_drop.yaml", "operations:\n  - drop_table: {name: missing}\n");
        var run = cli.run("plan", bad.toString());
        run.failedWith("01_drop.yaml", "missing");
        assertThat(run.err()).doesNotContain("_pp").doesNotContain("at io.pgroll");
    }
}
