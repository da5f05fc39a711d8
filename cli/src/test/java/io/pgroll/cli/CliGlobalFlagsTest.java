package io.pgroll.cli;

import static io.pgroll.cli.CommandRun.run;
import static io.pgroll.cli.CommandRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The global flags reach the command wherever they stand on the command line. */
@ExtendWith(PostgresExtension.class)
class CliGlobalFlagsTest {

    @Test
    void flagsBeforeTheCommand(TestDatabase db, @TempDir Path dir) {
        prepare(db, "before", dir);

        var status = run("--postgres-url", db.postgresUrl(), "--schema", "before", "status")
                .succeeded();

        assertThat(status.json().get("schema").asText()).isEqualTo("before");
        assertThat(status.json().get("version").asText()).isEqualTo("01_users");
    }

    @Test
    void flagsAfterTheCommand(TestDatabase db, @TempDir Path dir) {
        prepare(db, "after", dir);

        var status = run("status", "--postgres-url", db.postgresUrl(), "--schema", "after")
                .succeeded();

        assertThat(status.json().get("schema").asText()).isEqualTo("after");
        assertThat(status.json().get("version").asText()).isEqualTo("01_users");
    }

    @Test
    void flagsOnEitherSideOfTheCommand(TestDatabase db, @TempDir Path dir) {
        prepare(db, "mixed", dir);

        var status = run("--schema", "mixed", "status", "--postgres-url", db.postgresUrl())
                .succeeded();

        assertThat(status.json().get("schema").asText()).isEqualTo("mixed");
        assertThat(status.json().get("status").asText()).isEqualTo("In progress");
    }

    @Test
    void flagsAfterANestedCommand(TestDatabase db, @TempDir Path dir) {
        prepare(db, "nested", dir);

        assertThat(run("latest", "schema", "--postgres-url", db.postgresUrl(), "--schema", "nested")
                        .succeeded()
                        .out())
                .isEqualTo("nested_01_users\n");
        assertThat(run("--schema", "nested", "latest", "--postgres-url", db.postgresUrl(), "migration")
                        .succeeded()
                        .out())
                .isEqualTo("01_users\n");
    }

    @Test
    void stateSchemaFlagAfterTheCommand(TestDatabase db, @TempDir Path dir) {
        db.execute("CREATE SCHEMA state_flag");
        run("init", "--postgres-url", db.postgresUrl(), "--schema", "state_flag", "--pgroll-schema", "my_state")
                .succeeded();

        assertThat(db.queryValue("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'my_state'"))
                .isEqualTo("1");
    }

    @Test
    void schemaDefaultsToPublic(TestDatabase db) {
        run("init", "--postgres-url", db.postgresUrl()).succeeded();

        var status = run("status", "--postgres-url", db.postgresUrl()).succeeded();

        assertThat(status.json().get("schema").asText()).isEqualTo("public");
        assertThat(status.json().get("status").asText()).isEqualTo("No migrations");
    }

    @Test
    void schemaNamedLikeACommand(TestDatabase db, @TempDir Path dir) {
        prepare(db, "migrate", dir);

        var status = run("--postgres-url", db.postgresUrl(), "--schema", "migrate", "status")
                .succeeded();

        assertThat(status.json().get("schema").asText()).isEqualTo("migrate");
        assertThat(run("status", "--schema", "status", "--postgres-url", db.postgresUrl())
                        .succeeded()
                        .json()
                        .get("schema")
                        .asText())
                .isEqualTo("status");
    }

    @Test
    void useVersionSchemaFalse(TestDatabase db, @TempDir Path dir) {
        db.execute("CREATE SCHEMA no_versions");
        run("init", "--postgres-url", db.postgresUrl(), "--schema", "no_versions")
                .succeeded();

        var start = run(
                        "start",
                        write(dir, "01_users.yaml", Migrations.CREATE_USERS).toString(),
                        "--use-version-schema=false",
                        "--postgres-url",
                        db.postgresUrl(),
                        "--schema",
                        "no_versions")
                .succeeded();

        assertThat(start.err()).doesNotContain("no_versions_01_users");
        assertThat(db.queryValue(
                        "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'no_versions_%'"))
                .isEqualTo("0");
        assertThat(db.queryValue("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'no_versions'"))
                .isEqualTo("1");
    }

    @Test
    void everyUrlFormConnects(TestDatabase db, @TempDir Path dir) {
        prepare(db, "url_forms", dir);
        String hostPortDb = db.host() + ":" + db.port() + "/" + db.name();
        var forms = List.of(
                "postgres://" + db.user() + ":" + db.password() + "@" + hostPortDb,
                "postgresql://" + db.user() + ":" + db.password() + "@" + hostPortDb + "?sslmode=disable",
                "jdbc:postgresql://" + hostPortDb + "?user=" + db.user() + "&password=" + db.password(),
                "host=" + db.host() + " port=" + db.port() + " dbname=" + db.name() + " user=" + db.user()
                        + " password='" + db.password() + "' sslmode=disable");

        for (String url : forms) {
            var status = run("status", "--postgres-url", url, "--schema", "url_forms")
                    .succeeded();
            assertThat(status.json().get("version").asText()).as(url).isEqualTo("01_users");
        }
    }

    /**
     * The environment variables, read through picocli's {@code ${env:...}} defaults: they cannot be set
     * in this JVM, so the CLI runs in a child JVM with the test classpath.
     */
    @Test
    void environmentVariables(TestDatabase db, @TempDir Path dir) throws Exception {
        prepare(db, "from_env", dir);
        db.execute("CREATE SCHEMA flag_wins");
        run("init", "--postgres-url", db.postgresUrl(), "--schema", "flag_wins").succeeded();
        Map<String, String> env = Map.of("PGROLL_PG_URL", db.postgresUrl(), "PGROLL_SCHEMA", "from_env");

        assertThat(runWithEnvironment(env, "status"))
                .contains("\"schema\": \"from_env\"")
                .contains("01_users");
        assertThat(runWithEnvironment(env, "status", "--schema", "flag_wins"))
                .contains("\"schema\": \"flag_wins\"")
                .contains("No migrations");
    }

    private static String runWithEnvironment(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PGROLL_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static void prepare(TestDatabase db, String schema, Path dir) {
        db.execute("CREATE SCHEMA " + schema);
        run("--postgres-url", db.postgresUrl(), "--schema", schema, "init").succeeded();
        run(
                        "--postgres-url",
                        db.postgresUrl(),
                        "--schema",
                        schema,
                        "start",
                        write(dir, "01_users.yaml", Migrations.CREATE_USERS).toString())
                .succeeded();
    }
}
