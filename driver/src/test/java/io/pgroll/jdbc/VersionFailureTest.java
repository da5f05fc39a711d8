package io.pgroll.jdbc;

import static io.pgroll.testing.Rows.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every way a pin can be wrong fails {@code connect} with a message naming the request and the fix,
 * and the only statement the connection sent is the validation query: nothing reached a table.
 */
@ExtendWith(PostgresExtension.class)
class VersionFailureTest {

    @Test
    void aVersionThatDoesNotExistFailsAndListsTheVersionsThatDo(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "unknown");
        SQLException e = failsAfterOnlyTheValidationQuery(f, "pgrollVersion=99_nope");
        assertThat(e.getSQLState()).isEqualTo("3F000");
        assertThat(e.getMessage())
                .contains(
                        "pgrollVersion=99_nope: version schema \"unknown_99_nope\" does not exist",
                        "no migration or version schema named \"99_nope\"",
                        "the versions that exist are unknown_02_add_rating (latest, migration in progress)"
                                + " and unknown_01_create (previous)",
                        "closed before any query could reach the tables");
        assertNoBackendLeft(f.db, "unknown");
    }

    @Test
    void aVersionDroppedSinceFailsTheNextConnectionTheSameWay(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "dropped");
        try (Connection before = f.connect("pgrollVersion=01_create")) {
            assertThat(value(before, "SELECT count(*) FROM users")).isEqualTo("0");
            f.pgroll.complete();
            SQLException e = failsAfterOnlyTheValidationQuery(f, "pgrollVersion=01_create");
            assertThat(e.getSQLState()).isEqualTo("3F000");
            assertThat(e.getMessage())
                    .contains(
                            "version schema \"dropped_01_create\" no longer exists: it was dropped when a later"
                                    + " migration completed",
                            "the version that exists is dropped_02_add_rating (latest)",
                            "Deploy the application build that matches");
            // a connection opened before the complete keeps its pin: its tables are gone, and it says so
            // rather than reading the physical table
            assertThatThrownBy(() -> value(before, "SELECT count(*) FROM users"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(x -> assertThat(((SQLException) x).getSQLState()).isEqualTo("42P01"));
        }
    }

    @Test
    void aVersionBeingTornDownFails(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "teardown");
        // rollback drops the new version schema first; here it stops right after that
        db.execute("DROP SCHEMA teardown_02_add_rating CASCADE");
        SQLException e = failsAfterOnlyTheValidationQuery(f, "pgrollVersion=02_add_rating");
        assertThat(e.getMessage())
                .contains(
                        "\"teardown_02_add_rating\" is not published: its migration is being rolled back",
                        "the version that exists is teardown_01_create (previous)");
    }

    @Test
    void latestFailsWhenNoMigrationPublishedAVersion(TestDatabase db) {
        Fixture f = Fixture.empty(db, "blank");
        assertThatThrownBy(() -> f.connect("pgrollVersion=latest"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("pgrollVersion=latest: no version schema of schema \"blank\" exists (no migration"
                        + " has been started)")
                .hasMessageContaining("Start a migration (`pgroll start`)")
                .satisfies(x -> assertThat(((SQLException) x).getSQLState()).isEqualTo("3F000"));
    }

    @Test
    void aMissingStateSchemaIsNamedWithTheServersSqlState(TestDatabase db) {
        Fixture f = Fixture.inProgress(db, "nostate");
        assertThatThrownBy(() -> f.connect("pgrollVersion=02_add_rating&pgrollStateSchema=elsewhere"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("cannot read the migration history from state schema \"elsewhere\"")
                .hasMessageContaining("set pgrollStateSchema to the schema that holds the history")
                .satisfies(x -> assertThat(((SQLException) x).getSQLState()).isEqualTo("3F000"))
                .satisfies(x -> assertThat(x.getCause()).isInstanceOf(SQLException.class));
    }

    @Test
    void aClasspathVersionNotYetStartedSaysToStartIt(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "cpfuture");
        SQLException e = failsAfterOnlyTheValidationQuery(f, "pgrollVersion=classpath:migrations/v3");
        assertThat(e.getMessage())
                .contains(
                        "pgrollVersion=classpath:migrations/v3: the version schema of migration 03_future does not"
                                + " exist: migration 03_future, the newest in classpath:migrations/v3, has not been"
                                + " started",
                        "Start it (`pgroll start 03_future.yaml`) before deploying this build");
        try (Connection c = f.connect("pgrollVersion=classpath:migrations/v2")) {
            assertThat(value(c, "SHOW search_path")).isEqualTo("cpfuture_02_add_rating");
        }
    }

    @Test
    void withoutValidationAMissingVersionStillNeverFallsThroughToThePhysicalTables(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "novalidate");
        try (Connection c = f.connect("pgrollVersion=99_nope&pgrollValidate=false")) {
            assertThat(value(c, "SHOW search_path")).isEqualTo("novalidate_99_nope");
            assertThatThrownBy(() -> value(c, "SELECT count(*) FROM users"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("relation \"users\" does not exist");
        }
    }

    @Test
    void badPropertyValuesNameTheProperty(TestDatabase db) {
        Fixture f = Fixture.inProgress(db, "badprops");
        assertInvalid(
                () -> f.connect("pgrollVersion=latest&pgrollPinMode=eager"),
                "pgrollPinMode must be one of startup, statement but was: eager");
        assertInvalid(
                () -> f.connect("pgrollVersion=latest&pgrollValidate=yes"),
                "pgrollValidate must be one of true, false but was: yes");
        assertInvalid(
                () -> f.connect("pgrollVerison=latest"),
                "unknown property pgrollVerison; the pgroll driver's properties are pgrollVersion, pgrollSchema,");
        assertInvalid(() -> f.connect("pgrollVersion="), "pgrollVersion must not be empty");
        assertInvalid(() -> f.connect("pgrollVersion=classpath:"), "pgrollVersion=classpath: needs a directory");
        assertInvalid(
                () -> f.connect("pgrollVersion=classpath:no/such/dir"),
                "pgrollVersion=classpath:no/such/dir: no .yaml, .yml or .json migration file found in classpath"
                        + " directory no/such/dir");
        assertInvalid(
                () -> f.connect("pgrollVersion=latest&currentSchema=public"),
                "pgrollVersion=latest pins the search_path, so it cannot be combined with currentSchema=public");
    }

    private static void assertInvalid(ThrowingCallable connect, String message) {
        assertThatThrownBy(connect)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(message)
                .satisfies(x -> assertThat(((SQLException) x).getSQLState()).isEqualTo("22023"));
    }

    /** Connects, expecting failure, and checks that no statement but the validation query was sent. */
    @Test
    void aBaselineIsTheTablesThemselvesUntilAMigrationCompletesAfterIt(TestDatabase db) throws Exception {
        Fixture f = Fixture.empty(db, "based");
        db.execute("CREATE TABLE based.users (id serial PRIMARY KEY, name text)");
        f.pgroll.baseline("01_base");
        try (Connection c = f.connect("pgrollVersion=01_base")) {
            assertThat(value(c, "SHOW search_path")).isEqualTo("based");
            assertThat(value(c, "SELECT count(*) FROM users")).isEqualTo("0");
        }
        // while the next migration is in progress, the baseline's build is its old version
        f.start("02_add_rating", Fixture.ADD_RATING, false);
        try (Connection c = f.connect("pgrollVersion=01_base")) {
            c.createStatement().execute("INSERT INTO users (name) VALUES ('four')");
        }
        try (Connection c = f.connect("pgrollVersion=02_add_rating")) {
            assertThat(value(c, "SELECT rating FROM users")).isEqualTo("4");
        }
        f.pgroll.complete();
        SQLException e = failsAfterOnlyTheValidationQuery(f, "pgrollVersion=01_base");
        assertThat(e.getSQLState()).isEqualTo("3F000");
        assertThat(e.getMessage())
                .contains(
                        "\"01_base\" is a baseline, whose version is the schema's tables themselves only until a"
                                + " later migration completes",
                        "the version that exists is based_02_add_rating (latest)");
    }

    private static SQLException failsAfterOnlyTheValidationQuery(Fixture f, String query) {
        try (SentMessages sent = new SentMessages()) {
            try (Connection c = f.connect(query + "&ApplicationName=" + f.schema)) {
                throw new AssertionError("connected to " + c);
            } catch (SQLException e) {
                List<String> statements = sent.statements().stream()
                        .filter(s -> !s.contains("SET application_name"))
                        .toList();
                assertThat(statements).singleElement().asString().contains("latest_version");
                return e;
            }
        }
    }

    /** The failed connection was closed: no backend of it is left on the server. */
    private static void assertNoBackendLeft(TestDatabase db, String applicationName) throws InterruptedException {
        String count = "1";
        for (int i = 0; i < 50 && !count.equals("0"); i++) {
            Thread.sleep(20); // the server process ends just after the client closes
            count = db.queryValue(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName + "'");
        }
        assertThat(count).isEqualTo("0");
    }
}
