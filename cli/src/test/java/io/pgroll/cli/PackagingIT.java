package io.pgroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The one executable jar: CLI, agent and driver, pgJDBC inside as it is, our own dependencies relocated. */
class PackagingIT {
    private static final Path JAR = Path.of(System.getProperty("pgroll.jar", "target/pgroll.jar"));

    @Test
    void theCliAnswersHelpAndVersion() throws Exception {
        assertThat(java("-jar", JAR.toString(), "--help")).contains("Usage: pgroll");
        assertThat(java("-jar", JAR.toString(), "--version").strip())
                .isEqualTo("pgroll for the JVM " + System.getProperty("project.version"));
    }

    @Test
    void theLauncherBesideTheJarRunsItFromAnywhere() throws Exception {
        Path launcher = JAR.resolveSibling("pgroll").toAbsolutePath();
        assertThat(Files.isExecutable(launcher)).as(launcher + " is executable").isTrue();
        Path link = Files.createTempDirectory("pgroll-link").resolve("pgroll");
        Files.createSymbolicLink(link, launcher);
        assertThat(run(List.of(link.toString(), "--version")).strip())
                .isEqualTo("pgroll for the JVM " + System.getProperty("project.version"));
    }

    @Test
    void bashCompletionCoversTheCommandsAndTheirFlags() throws Exception {
        String script = java("-jar", JAR.toString(), "completion");
        assertThat(script).contains("complete -F", "pull", "baseline", "--with-prefixes", "--postgres-url");
    }

    @Test
    void theJarIsDriverAgentAndCliWithOnlyPgjdbcUnrelocated() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Main-Class")).isEqualTo("io.pgroll.cli.Main");
            assertThat(manifest.getValue("Premain-Class")).isEqualTo("io.pgroll.agent.PgrollAgent");
            assertThat(jar.getEntry("org/postgresql/Driver.class")).isNotNull();
            assertThat(jar.getEntry("io/pgroll/jdbc/PgrollDriver.class")).isNotNull();
            ZipEntry services = jar.getEntry("META-INF/services/java.sql.Driver");
            try (InputStream in = jar.getInputStream(services)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines())
                        .contains("io.pgroll.jdbc.PgrollDriver", "org.postgresql.Driver");
            }
            List<String> unrelocated = new ArrayList<>();
            for (ZipEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName().replaceFirst("^META-INF/versions/\\d+/", "");
                if (name.endsWith(".class")
                        && !name.startsWith("io/pgroll/")
                        && !name.startsWith("org/postgresql/")
                        && !name.equals("module-info.class")) {
                    unrelocated.add(entry.getName());
                }
            }
            assertThat(unrelocated)
                    .as("classes neither ours, relocated, nor pgJDBC's")
                    .isEmpty();
            assertThat(jar.getEntry("io/pgroll/shaded/jackson/databind/ObjectMapper.class"))
                    .isNotNull();
            assertThat(jar.getEntry("io/pgroll/shaded/picocli/CommandLine.class"))
                    .isNotNull();
            assertThat(jar.getEntry("io/pgroll/shaded/bytebuddy/ByteBuddy.class"))
                    .isNotNull();
        }
    }

    private static String java(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(arguments));
        return run(command);
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", command) + "\n" + output)
                .isZero();
        return output;
    }
}
