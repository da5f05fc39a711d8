package io.pgroll.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.engine.Pgroll;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent in a JVM of its own, as users run it: {@code java -javaagent:pgroll.jar=... -cp app}, with
 * the application's own pgJDBC first on its class path.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentIT {
    private TestDatabase db;

    @BeforeAll
    void migrate(TestDatabase db) {
        this.db = db;
        db.execute("CREATE SCHEMA app");
        Pgroll pgroll =
                Pgroll.configure().dataSource(db.dataSource()).schema("app").load();
        pgroll.init();
        pgroll.start(
                MigrationReader.read(
                        "operations:\n  - create_table: {name: t, columns: [{name: id, type: serial, pk: true}]}\n",
                        "01_create",
                        "01_create.yaml"),
                true);
        pgroll.start(
                MigrationReader.read(
                        "operations:\n  - add_column: {table: t, column: {name: x, type: text, nullable: true}}\n",
                        "02_add_x",
                        "02_add_x.yaml"),
                false);
    }

    @Test
    void theAgentPinsAnUnchangedApplication() throws Exception {
        List<String> out = run("=version=latest,schema=app", Map.of());
        assertThat(out)
                .contains(
                        "driverManager search_path=app_02_add_x",
                        "driverManager pgconnection=true",
                        "dataSource search_path=app_02_add_x");
    }

    @Test
    void theVersionCanComeFromTheEnvironment() throws Exception {
        List<String> out = run("", Map.of("PGROLL_VERSION", "01_create", "PGROLL_SCHEMA", "app"));
        assertThat(out).contains("driverManager search_path=app_01_create", "dataSource search_path=app_01_create");
    }

    @Test
    void aVersionThatDoesNotExistFailsTheApplicationsConnect() throws Exception {
        List<String> out = run("=version=nope,schema=app", Map.of());
        assertThat(out)
                .anyMatch(l ->
                        l.startsWith("driverManager failed 3F000: pgrollVersion=nope: version schema \"app_nope\""));
    }

    @Test
    void withoutTheAgentNothingIsPinned() throws Exception {
        List<String> out = run(null, Map.of());
        assertThat(out).contains("driverManager search_path=\"$user\", public");
    }

    private List<String> run(String agentArguments, Map<String, String> environment) throws Exception {
        String pgjdbc = Path.of(org.postgresql.Driver.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (agentArguments != null) {
            command.add("-javaagent:" + System.getProperty("pgroll.jar") + agentArguments);
        }
        command.addAll(List.of(
                "-cp",
                pgjdbc + File.pathSeparator + System.getProperty("pgroll.it.classpath"),
                PlainJdbcApp.class.getName(),
                db.jdbcUrl(),
                db.user(),
                db.password()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PGROLL_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().toList();
    }
}
