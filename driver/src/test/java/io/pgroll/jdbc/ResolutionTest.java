package io.pgroll.jdbc;

import static io.pgroll.testing.Rows.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.engine.model.MigrationReader;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;

/** How {@code pgrollVersion} becomes a version schema: names, {@code latest}, {@code classpath:}. */
@ExtendWith(PostgresExtension.class)
class ResolutionTest {
    private static final String CUSTOM =
            """
            version_schema: v3
            operations:
              - add_column:
                  table: users
                  column: {name: email, type: text, nullable: true}
            """;

    @Test
    void aMigrationWithAVersionSchemaOfItsOwnIsFoundByItsNameTooAndTheCorrectionIsCached(TestDatabase db)
            throws Exception {
        Fixture f = Fixture.inProgress(db, "custom");
        f.pgroll.complete();
        f.start("03_custom", CUSTOM, false);
        try (SentMessages sent = new SentMessages()) {
            PgrollDriver driver = new PgrollDriver();
            try (Connection byName = driver.connect(f.url("pgrollVersion=03_custom"), f.credentials())) {
                assertThat(value(byName, "SHOW search_path")).isEqualTo("custom_v3");
            }
            // the first connect guessed custom_03_custom, learned better and reconnected; the next goes straight
            assertThat(startupPackets(sent)).hasSize(2);
            try (Connection again = driver.connect(f.url("pgrollVersion=03_custom"), f.credentials())) {
                assertThat(value(again, "SHOW search_path")).isEqualTo("custom_v3");
            }
            assertThat(startupPackets(sent)).hasSize(3).last().asString().contains("search_path=custom_v3");
        }
        try (Connection bySuffix = f.connect("pgrollVersion=v3");
                Connection bySchemaName = f.connect("pgrollVersion=custom_v3");
                Connection previous = f.connect("pgrollVersion=custom_02_add_rating")) {
            assertThat(value(bySuffix, "SHOW search_path")).isEqualTo("custom_v3");
            assertThat(value(bySchemaName, "SHOW search_path")).isEqualTo("custom_v3");
            assertThat(value(previous, "SHOW search_path")).isEqualTo("custom_02_add_rating");
        }
    }

    /** Opens a connection; returns the search_path of each startup packet sent meanwhile ("" for none). */
    @SuppressWarnings("try") // opening the connection is what sends the packets
    private static List<String> pinnedTo(Pinning pinning, DriverUrl url, Fixture f, PinSettings settings)
            throws Exception {
        try (SentMessages sent = new SentMessages();
                Connection c = pinning.connect(new Driver(), url, f.credentials(), settings)) {
            return startupPackets(sent).stream()
                    .map(p -> p.contains("search_path=") ? p.replaceAll(".*search_path=([^,)]*).*", "$1") : "")
                    .toList();
        }
    }

    private static List<String> startupPackets(SentMessages sent) {
        return sent.lines().stream()
                .filter(l -> l.startsWith("FE=> StartupPacket"))
                .toList();
    }

    @Test
    void latestIsCachedBrieflyThenFollowsTheNewMigration(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "latest");
        f.pgroll.complete();
        AtomicLong now = new AtomicLong();
        Pinning pinning = new Pinning(new ResolutionCache(Duration.ofSeconds(2), now::get));
        DriverUrl url = DriverUrl.parse(f.url("pgrollVersion=latest"));
        PinSettings settings = PinSettings.from(url.merge(f.credentials()));
        // a cold cache costs a connection of its own that resolves latest, then the pinned one
        assertThat(pinnedTo(pinning, url, f, settings)).containsExactly("", "latest_02_add_rating");
        f.start("03_custom", CUSTOM, false);
        // still cached: the previous version, which stays live while 03 is in progress
        assertThat(pinnedTo(pinning, url, f, settings)).containsExactly("latest_02_add_rating");
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        assertThat(pinnedTo(pinning, url, f, settings)).containsExactly("", "latest_v3");
    }

    @Test
    void aStaleLatestThatIsNoLongerLiveIsCorrectedOnTheSpot(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "stale");
        AtomicLong now = new AtomicLong();
        Pinning pinning = new Pinning(new ResolutionCache(Duration.ofSeconds(2), now::get));
        DriverUrl url = DriverUrl.parse(f.url("pgrollVersion=latest"));
        PinSettings settings = PinSettings.from(url.merge(f.credentials()));
        pinning.connect(new Driver(), url, f.credentials(), settings).close();
        f.pgroll.rollback(); // 02's version schema is gone; the cache still says it
        try (Connection c = pinning.connect(new Driver(), url, f.credentials(), settings)) {
            assertThat(value(c, "SHOW search_path")).isEqualTo("stale_01_create");
        }
    }

    private static final String YAML = "operations:\n  - sql: {up: SELECT 1}\n";
    private static final String JSON = "{\"operations\": [{\"sql\": {\"up\": \"SELECT 1\"}}]}";

    @Test
    void classpathReadsTheNewestFileOfAFolderOrAJarInTheEnginesOrder(@TempDir Path dir) throws Exception {
        ClasspathMigrations classpath = new ClasspathMigrations();
        ClassLoader test = getClass().getClassLoader();
        assertThat(classpath.newest(test, "migrations/v3")).isEqualTo("03_future");

        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            // with directory entries, as Maven, Gradle and Spring Boot write jars
            for (String name : List.of(
                    "db/",
                    "db/m/",
                    "db/m/10_ten.yaml",
                    "db/m/9_nine.json",
                    "db/m/sub/",
                    "db/m/sub/99_nested.yaml",
                    "db/m/notes.txt")) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    out.write((name.endsWith(".json") ? JSON : YAML).getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            // "9_nine" sorts after "10_ten", as the engine (and pgroll) order file names
            assertThat(classpath.newest(loader, "db/m")).isEqualTo("9_nine");
        }

        Path folder = Files.createDirectories(dir.resolve("folder"));
        for (String name : List.of("a.yaml", "B.yml", "é.json", "z.yaml", "\uD83D\uDE00.yaml", "\uFFFD.yaml")) {
            Files.writeString(folder.resolve(name), name.endsWith(".json") ? JSON : YAML);
        }
        List<Path> engineOrder = MigrationReader.migrationFiles(folder);
        String engineNewest =
                engineOrder.get(engineOrder.size() - 1).getFileName().toString();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertThat(classpath.newest(loader, "folder") + ".yaml").isEqualTo(engineNewest);
        }
    }

    @Test
    void urlsKeepPgjdbcsParametersByteForByte() throws Exception {
        DriverUrl url = DriverUrl.parse(
                "jdbc:pgroll:postgresql://h1:5432,h2/db?ssl=true&pgrollVersion=02%5Fx&sslmode=verify-full"
                        + "&ApplicationName=a%20b&pgrollSchema=app");
        assertThat(url.postgresUrl())
                .isEqualTo("jdbc:postgresql://h1:5432,h2/db?ssl=true&sslmode=verify-full&ApplicationName=a%20b");
        assertThat(url.pgrollProperties())
                .containsEntry("pgrollVersion", "02_x")
                .containsEntry("pgrollSchema", "app");
        assertThat(DriverUrl.parse("jdbc:pgroll:postgresql:db?pgrollVersion=latest")
                        .postgresUrl())
                .isEqualTo("jdbc:postgresql:db");
        assertThat(new PgrollDriver().acceptsURL("jdbc:pgroll:postgresql://h/db"))
                .isTrue();
        assertThat(new PgrollDriver().acceptsURL("jdbc:postgresql://h/db")).isFalse();
        assertThat(new PgrollDriver().acceptsURL("jdbc:pgroll:mysql://h/db")).isFalse();
        assertThat(new PgrollDriver().getPropertyInfo("jdbc:pgroll:postgresql://h/db?pgrollVersion=latest", null))
                .extracting(p -> p.name)
                .startsWith("pgrollVersion", "pgrollSchema", "pgrollStateSchema", "pgrollPinMode", "pgrollValidate")
                .contains("ssl", "ApplicationName");
    }
}
