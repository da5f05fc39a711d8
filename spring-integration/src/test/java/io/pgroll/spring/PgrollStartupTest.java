package io.pgroll.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.PgrollException;
import io.pgroll.testing.TestDatabase;
import io.pgroll.testing.TestPostgres;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Builds of an application starting on one database, as a rolling upgrade starts them: the first
 * build, the next one beside it, both after the next one's migration completed, several at once.
 */
class PgrollStartupTest {

    private static JdbcTemplate jdbc(ConfigurableApplicationContext app) {
        return new JdbcTemplate(app.getBean(DataSource.class));
    }

    @Test
    void theFirstBuildCreatesItsSchemaAndItsDataSourceIsPinnedToIt() {
        TestDatabase db = TestPostgres.createDatabase("spring_first");
        try (ConfigurableApplicationContext v1 = Builds.start(db, "v1")) {
            JdbcTemplate jdbc = jdbc(v1);
            assertThat(jdbc.queryForObject("SHOW search_path", String.class)).isEqualTo("public_01_create_items");
            jdbc.update("INSERT INTO items (name, price) VALUES ('a', 1)");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class))
                    .isEqualTo(1);
            assertThat(v1.getBean(PgrollMigrator.class).started()).containsExactly("01_create_items");
        }
        assertThat(db.queryValue("SELECT count(*) FROM pgroll.migrations WHERE schema = 'public'"))
                .isEqualTo("1");
    }

    @Test
    void aBuildWhoseNewestFileIsABaselineIsPinnedToTheTablesThemselves() {
        TestDatabase db = TestPostgres.createDatabase("spring_baseline");
        db.execute("CREATE TABLE public.items (id serial PRIMARY KEY, name text)");
        Pgroll pgroll = Pgroll.configure().dataSource(db.dataSource()).load();
        pgroll.init();
        pgroll.baseline("01_base");
        try (ConfigurableApplicationContext based = Builds.start(db, "based")) {
            assertThat(jdbc(based).queryForObject("SHOW search_path", String.class))
                    .isEqualTo("public");
            assertThat(based.getBean(PgrollMigrator.class).started()).isEmpty();
            try (ConfigurableApplicationContext next = Builds.start(db, "based2")) {
                // the baseline's build is the old version while the next migration is in progress
                jdbc(based).update("INSERT INTO items (name) VALUES ('four')");
                assertThat(jdbc(next).queryForObject("SELECT rating FROM items", Integer.class))
                        .isEqualTo(4);
                assertThat(jdbc(next).queryForObject("SHOW search_path", String.class))
                        .isEqualTo("public_02_add_rating");
            }
        }
    }

    @Test
    void theNextBuildRefusesToRetireTheVersionInUseUnlessAllowed() {
        TestDatabase db = TestPostgres.createDatabase("spring_next");
        try (ConfigurableApplicationContext v1 = Builds.start(db, "v1")) {
            assertThat(outermost(PgrollException.class, () -> Builds.start(db, "v2")))
                    .hasMessageContaining("migration \"01_create_items\" is still in progress")
                    .hasMessageContaining("pgroll.complete-previous=true")
                    .hasMessageContaining("nothing was changed");
            assertThat(db.queryValue("SELECT count(*) FROM pgroll.migrations WHERE schema = 'public'"))
                    .isEqualTo("1");

            try (ConfigurableApplicationContext v2 = Builds.start(db, "v2", "pgroll.complete-previous=true")) {
                // both builds serve at once, each in its own shape
                jdbc(v1).update("INSERT INTO items (name, price) VALUES (NULL, 1)");
                jdbc(v2).update("INSERT INTO items (title, price) VALUES ('from v2', 2)");
                assertThat(jdbc(v2).queryForList("SELECT title FROM items ORDER BY id", String.class))
                        .containsExactly("untitled", "from v2");
                assertThat(jdbc(v1).queryForList("SELECT name FROM items ORDER BY id", String.class))
                        .containsExactly(null, "from v2");
                assertThat(jdbc(v2).queryForObject("SHOW search_path", String.class))
                        .isEqualTo("public_02_title_required");

                // an older build whose files are a prefix of the history starts, pinned to its own version
                try (ConfigurableApplicationContext v1Again = Builds.start(db, "v1")) {
                    assertThat(jdbc(v1Again).queryForObject("SHOW search_path", String.class))
                            .isEqualTo("public_01_create_items");
                    assertThat(v1Again.getBean(PgrollMigrator.class).started()).isEmpty();
                }
            }
        }
    }

    @Test
    void anOldBuildStartedAfterItsVersionWasRetiredFailsWithTheDriversMessage() {
        TestDatabase db = TestPostgres.createDatabase("spring_retired");
        Builds.start(db, "v1").close();
        try (ConfigurableApplicationContext v2 = Builds.start(db, "v2", "pgroll.complete-previous=true")) {
            PgrollHealthIndicator health = v2.getBean(PgrollHealthIndicator.class);
            try (ConfigurableApplicationContext v1 = Builds.start(db, "v1")) {
                PgrollHealthIndicator oldHealth = v1.getBean(PgrollHealthIndicator.class);
                assertThat(oldHealth.health(true).getStatus()).isEqualTo(Status.UP);
                v2.getBean(PgrollMigrator.class).pgroll().complete();
                assertThat(oldHealth.health(true).getStatus()).isEqualTo(Status.DOWN);
                assertThat(oldHealth.health(true).getDetails()).containsEntry("buildVersion", "01_create_items");
            }
            assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
        }
        Throwable failure = catchThrowable(() -> Builds.start(db, "v1"));
        assertThat(outermost(PgrollVersionUnavailableException.class, () -> Builds.start(db, "v1")))
                .hasMessageContaining("this build is written for pgroll version \"01_create_items\"")
                .hasMessageContaining("version schema \"public_01_create_items\" no longer exists")
                .hasMessageContaining("SQLState 3F000")
                .hasMessageContaining("public_02_title_required");
        // what Boot prints under APPLICATION FAILED TO START: ours, not what a later bean made of it
        FailureAnalysis analysis = new PgrollFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).contains("cannot connect to it");
        assertThat(analysis.getAction()).contains("[02_title_required]");
    }

    /** The outermost exception of {@code type} in what {@code startup} threw, for its message. */
    private static <T extends Throwable> T outermost(Class<T> type, ThrowingCallable startup) {
        Throwable thrown = catchThrowable(startup);
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + thrown, thrown);
    }

    @Test
    void replicasStartingTogetherStartTheMigrationOnce() throws Exception {
        TestDatabase db = TestPostgres.createDatabase("spring_replicas");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        // Replicas are separate processes; in one JVM, Boot's logging system is shared and not made for
        // applications initialising it at once, so these four go without it.
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        try {
            List<Future<List<String>>> replicas = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<List<String>> replica = () -> {
                    try (ConfigurableApplicationContext app = Builds.start(db, "v1")) {
                        assertThat(jdbc(app).queryForObject("SELECT count(*) FROM items", Integer.class))
                                .isZero();
                        return app.getBean(PgrollMigrator.class).started();
                    }
                };
                replicas.add(pool.submit(replica));
            }
            List<List<String>> started = new ArrayList<>();
            for (Future<List<String>> replica : replicas) {
                started.add(replica.get());
            }
            assertThat(started).filteredOn(s -> !s.isEmpty()).containsExactly(List.of("01_create_items"));
        } finally {
            pool.shutdownNow();
            System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
        }
        assertThat(db.queryValue("SELECT count(*) FROM pgroll.migrations WHERE schema = 'public'"))
                .isEqualTo("1");
    }

    @Test
    void aBrokenMigrationFileFailsStartupNamingTheFileAndChangesNothing() {
        TestDatabase db = TestPostgres.createDatabase("spring_broken");
        Builds.start(db, "v1", "pgroll.complete-previous=true").close();
        assertThat(outermost(PgrollException.class, () -> Builds.start(db, "broken", "pgroll.complete-previous=true")))
                .hasMessageContaining("02_broken")
                .hasMessageContaining("column \"colour\" does not exist");
        // 01 stays in progress: the build before keeps its version when the next migration is refused
        assertThat(db.queryValue("SELECT count(*) FROM pgroll.migrations WHERE schema = 'public' AND NOT done"))
                .isEqualTo("1");
    }

    @Test
    void theMigratorHasItsOwnCredentialsAndTheApplicationsRoleNoDdlRights() {
        TestDatabase db = TestPostgres.createDatabase("spring_roles");
        String app = db.name() + "_app";
        // what a DBA sets up once: the application's role may use what the migrator creates, nothing more
        db.execute(
                "DROP ROLE IF EXISTS " + app,
                "CREATE ROLE " + app + " LOGIN PASSWORD 'app'",
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + app,
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO " + app);
        try (ConfigurableApplicationContext v1 = Builds.start(
                db,
                "v1",
                "spring.datasource.username=" + app,
                "spring.datasource.password=app",
                "pgroll.user=" + db.user(),
                "pgroll.password=" + db.password())) {
            JdbcTemplate jdbc = jdbc(v1);
            assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo(app);
            jdbc.update("INSERT INTO items (name, price) VALUES ('a', 1)");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class))
                    .isEqualTo(1);
            assertThatThrownBy(() -> jdbc.execute("CREATE TABLE public.mine (id int)"))
                    .hasStackTraceContaining("permission denied for schema public");
        }
        assertThat(db.queryValue(
                        "SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'items'"))
                .isEqualTo(db.user());
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aDataSourceItCannotPinIsReported(CapturedOutput output) {
        TestDatabase db = TestPostgres.createDatabase("spring_unpinned");
        try (ConfigurableApplicationContext app =
                Builds.start(db, "v1", "spring.datasource.type=org.postgresql.ds.PGSimpleDataSource")) {
            assertThat(jdbc(app).queryForObject("SHOW search_path", String.class))
                    .isEqualTo("\"$user\", public");
            assertThat(output)
                    .contains("(org.postgresql.ds.PGSimpleDataSource) is not pinned to version 01_create_items: the"
                            + " starter pins a pool that takes a URL and a driver class");
        }
    }

    /**
     * Startup says what the migration does, as Flyway's does: each operation and the backfill, in the
     * application's log. The bounds on replica lag are taken (a superuser sees the standbys; this
     * server has none, so nothing waits).
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theMigrationsProgressIsInTheApplicationsLog(CapturedOutput output) {
        TestDatabase db = TestPostgres.createDatabase("spring_logged");
        try (ConfigurableApplicationContext v1 = Builds.start(db, "v1")) {
            jdbc(v1).update("INSERT INTO items (name, price) VALUES ('a', 1), (NULL, 2)");
        }
        try (ConfigurableApplicationContext v2 = Builds.start(
                db,
                "v2",
                "pgroll.complete-previous=true",
                "logging.level.io.pgroll=info",
                "pgroll.backfill-max-replica-lag=5s",
                "pgroll.backfill-max-replica-lag-bytes=64MB")) {
            assertThat(jdbc(v2).queryForList("SELECT title FROM items ORDER BY id", String.class))
                    .containsExactly("a", "untitled");
            assertThat(output)
                    .contains("pgroll: start 02_title_required: operation 1 (rename_column")
                    .contains("pgroll: start 02_title_required: operation 2 (alter_column")
                    .contains("pgroll: backfill items: done, 2 rows at");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "org.apache.tomcat.jdbc.pool.DataSource",
                "org.apache.commons.dbcp2.BasicDataSource",
                "org.springframework.jdbc.datasource.SimpleDriverDataSource"
            })
    void poolsOtherThanHikariAreBornPinnedToo(String type) {
        TestDatabase db = TestPostgres.createDatabase("spring_pool");
        try (ConfigurableApplicationContext app = Builds.start(db, "v1", "spring.datasource.type=" + type)) {
            assertThat(app.getBean(DataSource.class).getClass().getName()).isEqualTo(type);
            assertThat(jdbc(app).queryForObject("SHOW search_path", String.class))
                    .isEqualTo("public_01_create_items");
        }
    }

    @Test
    void disabledItLeavesTheDatabaseAndTheDataSourceAlone() {
        TestDatabase db = TestPostgres.createDatabase("spring_disabled");
        try (ConfigurableApplicationContext app = Builds.start(db, "v1", "pgroll.enabled=false")) {
            assertThat(app.getBeansOfType(PgrollMigrator.class)).isEmpty();
            assertThat(jdbc(app).queryForObject("SHOW search_path", String.class))
                    .isEqualTo("\"$user\", public");
        }
        assertThat(db.queryValue("SELECT count(*) FROM pg_namespace WHERE nspname = 'pgroll'"))
                .isEqualTo("0");
    }

    @Test
    void theConfigurationMetadataDescribesEveryProperty() throws Exception {
        Map<String, JsonNode> properties = new HashMap<>();
        try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            new ObjectMapper()
                    .readTree(in)
                    .get("properties")
                    .forEach(p -> properties.put(p.get("name").asText(), p));
        }
        assertThat(properties)
                .containsKeys(
                        "pgroll.enabled",
                        "pgroll.locations",
                        "pgroll.schema",
                        "pgroll.state-schema",
                        "pgroll.lock-timeout",
                        "pgroll.lock-retry-budget",
                        "pgroll.backfill-batch-size",
                        "pgroll.backfill-batch-time",
                        "pgroll.backfill-batch-delay",
                        "pgroll.backfill-max-replica-lag",
                        "pgroll.backfill-max-replica-lag-bytes",
                        "pgroll.url",
                        "pgroll.user",
                        "pgroll.password",
                        "pgroll.role",
                        "pgroll.complete-previous",
                        "pgroll.accept-outside-ddl",
                        "pgroll.pin-data-source");
        assertThat(properties.get("pgroll.locations").get("defaultValue").asText())
                .isEqualTo("classpath:db/pgroll");
        assertThat(properties.get("pgroll.complete-previous").get("description").asText())
                .contains("retires");
        assertThat(properties
                        .get("management.endpoint.pgroll.access")
                        .get("defaultValue")
                        .asText())
                .isEqualTo("read_only");
    }

    @Test
    void aJdbcPgrollUrlTheUserWroteGetsOurDriverWithoutNamingIt() {
        TestDatabase db = TestPostgres.createDatabase("spring_own_url");
        Builds.start(db, "v1").close();
        String url = "jdbc:pgroll:" + db.jdbcUrl().substring("jdbc:".length()) + "?pgrollVersion=01_create_items";
        try (ConfigurableApplicationContext app = Builds.start(db, "v1", "spring.datasource.url=" + url)) {
            assertThat(jdbc(app).queryForObject("SHOW search_path", String.class))
                    .isEqualTo("public_01_create_items");
        }
    }
}
