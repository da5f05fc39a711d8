package io.pgroll.cli;

import static io.pgroll.cli.CommandRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each command, run as a user runs it, against a real database. */
@ExtendWith(PostgresExtension.class)
class CliLifecycleTest {

    @Test
    void initStartStatusComplete(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "lifecycle");
        cli.run("init").succeeded();
        assertStatus(cli.run("status").succeeded(), "lifecycle", "", "No migrations");

        var start = cli.run(
                        "start",
                        write(dir, "01_users.yaml", Migrations.CREATE_USERS).toString())
                .succeeded();
        assertThat(start.err()).contains("01_users").contains("lifecycle_01_users");
        assertStatus(cli.run("status").succeeded(), "lifecycle", "01_users", "In progress");
        assertThat(db.queryValue(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'lifecycle_01_users'"
                                + " AND table_name = 'users'"))
                .isEqualTo("1");

        assertThat(cli.run("complete").succeeded().err()).contains("01_users");
        assertStatus(cli.run("status").succeeded(), "lifecycle", "01_users", "Complete");
    }

    @Test
    void rollbackUndoesStart(TestDatabase db, @TempDir Path dir) {
        var cli = itemsInProgress(db, "rollback", dir);
        assertStatus(cli.run("status").succeeded(), "rollback", "02_items", "In progress");

        assertThat(cli.run("rollback").succeeded().err()).contains("02_items");

        assertStatus(cli.run("status").succeeded(), "rollback", "01_users", "Complete");
        assertThat(db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'rollback'"
                        + " ORDER BY 1"))
                .containsExactly(List.of("users"));
        assertThat(db.queryValue(
                        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'rollback_02_items'"))
                .isEqualTo("0");
    }

    @Test
    void aRollbackWhoseSqlDownFailsSaysSoAndCanSkipIt(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "bad_down");
        cli.initWithUsers(dir);
        cli.run(
                        "start",
                        write(
                                        dir,
                                        "02_side.yaml",
                                        "operations:\n  - sql: {up: 'CREATE TABLE side (id int)', down: 'DROP TABLE"
                                                + " no_such_table'}\n")
                                .toString())
                .succeeded();

        cli.run("rollback").failedWith("operation 1 (sql)", "no_such_table", "pgroll rollback --skip-failing-down");
        assertStatus(cli.run("status").succeeded(), "bad_down", "02_side", "In progress");

        var skipped = cli.run("rollback", "--skip-failing-down").succeeded();
        assertThat(skipped.err()).contains("its `down` failed").contains("02_side");
        assertStatus(cli.run("status").succeeded(), "bad_down", "01_users", "Complete");
    }

    @Test
    void ddlMadeByHandMeanwhileStopsCompleteUntilAccepted(TestDatabase db, @TempDir Path dir) {
        var cli = itemsInProgress(db, "by_hand", dir);
        db.execute("ALTER TABLE by_hand.users ADD COLUMN nickname text");

        cli.run("complete")
                .failedWith(
                        "Migration \"02_items\" cannot be completed",
                        "column \"users\".\"nickname\" was added",
                        "pgroll complete --accept-outside-ddl",
                        "Nothing was changed.");
        assertStatus(cli.run("status").succeeded(), "by_hand", "02_items", "In progress");

        var accepted = cli.run("complete", "--accept-outside-ddl").succeeded();
        assertThat(accepted.err()).contains("\"nickname\" was added").contains("completed successfully");
        assertStatus(cli.run("status").succeeded(), "by_hand", "02_items", "Complete");
    }

    @Test
    void aLockHeldLongerThanTheRetryBudgetEndsTheStartNamingTheBudget(TestDatabase db, @TempDir Path dir)
            throws SQLException {
        var cli = new Cli(db, "budget");
        cli.initWithUsers(dir);
        Path addColumn = write(
                dir,
                "02_age.yaml",
                "operations:\n  - add_column: {table: users, column: {name: age, type: int, nullable: true}}\n");
        try (Connection holder = db.connect();
                Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("LOCK TABLE budget.users IN ACCESS SHARE MODE");
            cli.run("--lock-timeout", "50", "--lock-retry-budget", "1s", "start", addColumn.toString())
                    .failedWith("gave up after", "(the lock retry budget)", "nothing of this statement was applied");
            holder.rollback();
        }
        assertStatus(cli.run("status").succeeded(), "budget", "01_users", "Complete");
    }

    @Test
    void startWithCompleteFlag(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "start_complete");
        cli.run("init").succeeded();

        cli.run(
                        "start",
                        "--complete",
                        write(dir, "01_users.yaml", Migrations.CREATE_USERS).toString())
                .succeeded();

        assertStatus(cli.run("status").succeeded(), "start_complete", "01_users", "Complete");
    }

    @Test
    void startTwiceWithTheSameFileChangesNothing(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "start_twice");
        cli.run("init").succeeded();
        Path file = write(dir, "01_users.yaml", Migrations.CREATE_USERS);
        cli.run("start", file.toString()).succeeded();

        assertThat(cli.run("start", file.toString()).succeeded().err()).contains("nothing to do");
        assertStatus(cli.run("status").succeeded(), "start_twice", "01_users", "In progress");
    }

    @Test
    void backfillFlags(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "backfill");
        cli.initWithUsers(dir);
        db.execute("INSERT INTO backfill.users (name) SELECT 'User' || i FROM generate_series(1, 35) i");

        var start = cli.run(
                        "start",
                        "--backfill-batch-size",
                        "10",
                        "--backfill-batch-delay",
                        "1ms",
                        // a superuser sees the standbys' positions; this server has none, so nothing waits
                        "--backfill-max-replica-lag",
                        "5s",
                        "--backfill-max-replica-lag-bytes",
                        "64MB",
                        write(dir, "02_email.yaml", Migrations.ADD_EMAIL).toString())
                .succeeded();

        assertThat(start.err()).contains("backfill users: done, 35 rows");
        assertThat(db.queryValue(
                        "SELECT count(*) FROM backfill_02_email.users WHERE email = lower(name) || '@example.com'"))
                .isEqualTo("35");
    }

    @Test
    void backfillFlagsAreChecked(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "backfill_flags");
        Path file = write(dir, "01_users.yaml", Migrations.CREATE_USERS);

        cli.run("start", "--backfill-batch-size", "0", file.toString()).failedWith("--backfill-batch-size", "0");
        cli.run("start", "--backfill-batch-delay", "soon", file.toString())
                .failedWith("--backfill-batch-delay", "soon");
        cli.run("start", "--backfill-max-replica-lag", "0", file.toString())
                .failedWith("--backfill-max-replica-lag must be more than 0");
        cli.run("start", "--backfill-max-replica-lag-bytes", "lots", file.toString())
                .failedWith("--backfill-max-replica-lag-bytes \"lots\" is not a size");
        var notANumber = cli.run("start", "--backfill-batch-size", "ten", file.toString());
        assertThat(notANumber.exitCode()).as("usage error").isEqualTo(2);
        assertThat(notANumber.err())
                .startsWith("Error: ")
                .contains("--backfill-batch-size")
                .contains("ten");
        assertThat(db.queryValue(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'backfill_flags'"))
                .isEqualTo("0");
    }

    @Test
    void latestFromTheDatabase(TestDatabase db, @TempDir Path dir) throws SQLException {
        var cli = itemsInProgress(db, "latest", dir);

        assertThat(cli.run("latest", "schema").succeeded().out()).isEqualTo("latest_02_items\n");
        assertThat(cli.run("latest", "migration").succeeded().out()).isEqualTo("02_items\n");
        // the spelling of pgroll's guides before `latest schema`
        assertThat(cli.run("latest", "--with-schema").succeeded().out()).isEqualTo("latest_02_items\n");

        String url = cli.run("latest", "url").succeeded().out().strip();
        assertThat(url).startsWith(db.postgresUrl() + "?options=");
        assertThat(searchPathOf(url)).isEqualTo("latest_02_items");
    }

    @Test
    void latestUrlKeepsTheFormOfTheUrl(TestDatabase db, @TempDir Path dir) throws SQLException {
        var cli = new Cli(db, "latest_url");
        cli.run("init").succeeded();
        cli.run("start", write(dir, "01_users.yaml", Migrations.CREATE_USERS).toString())
                .succeeded();
        String jdbc = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.name() + "?user=" + db.user()
                + "&password=" + db.password();
        String keyValues = "host=" + db.host() + " port=" + db.port() + " dbname=" + db.name() + " user=" + db.user()
                + " password=" + db.password();

        for (String base : List.of(jdbc, keyValues)) {
            String url = CommandRun.against(base, "latest_url", "latest", "url")
                    .succeeded()
                    .out()
                    .strip();
            assertThat(url).startsWith(base);
            assertThat(searchPathOf(url)).as(url).isEqualTo("latest_url_01_users");
        }
    }

    /** Connects with a URL as the CLI reads it and returns the session's search_path. */
    private static String searchPathOf(String url) throws SQLException {
        var parsed = ConnectionUrl.parse(url);
        Properties props = new Properties();
        if (parsed.user() != null) {
            props.setProperty("user", parsed.user());
            props.setProperty("password", parsed.password());
        }
        try (Connection c = DriverManager.getConnection(parsed.jdbcUrl(), props);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW search_path")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void startWithCompleteOfTheActiveMigrationCompletesIt(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "start_c_active");
        cli.run("init").succeeded();
        Path file = write(dir, "01_users.yaml", Migrations.CREATE_USERS);
        cli.run("start", file.toString()).succeeded();

        cli.run("start", "-c", file.toString()).succeeded();

        assertStatus(cli.run("status").succeeded(), "start_c_active", "01_users", "Complete");
    }

    @Test
    void latestWithNothingApplied(TestDatabase db) {
        var cli = new Cli(db, "latest_none");
        cli.run("init").succeeded();

        cli.run("latest", "schema").failedWith("No migrations", "latest_none");
    }

    @Test
    void latestFromLocalFilesNeedsNoDatabase(@TempDir Path dir) {
        write(dir, "01_users.yaml", Migrations.CREATE_USERS);
        write(dir, "02_items.yaml", "version_schema: items_v2\n" + Migrations.CREATE_ITEMS);
        write(dir, "README.md", "not a migration");
        String unreachable = "postgres://nobody:nothing@127.0.0.1:1/none";

        assertThat(CommandRun.against(unreachable, "app", "latest", "schema", "--local", dir.toString())
                        .succeeded()
                        .out())
                .isEqualTo("app_items_v2\n");
        assertThat(CommandRun.against(unreachable, "app", "latest", "migration", "-l", dir.toString())
                        .succeeded()
                        .out())
                .isEqualTo("02_items\n");
    }

    @Test
    void validate(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "validate");
        cli.initWithUsers(dir);

        assertThat(cli.run(
                                "validate",
                                write(dir, "02_email.yaml", Migrations.ADD_EMAIL)
                                        .toString())
                        .succeeded()
                        .err())
                .contains("02_email")
                .contains("valid");
        assertStatus(cli.run("status").succeeded(), "validate", "01_users", "Complete");
    }

    @Test
    void migrateAppliesTheDirectory(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "migrate");
        cli.run("init").succeeded();
        write(dir, "01_users.yaml", Migrations.CREATE_USERS);
        write(dir, "02_email.yaml", Migrations.ADD_EMAIL);

        assertThat(cli.run("migrate", dir.toString()).succeeded().err())
                .contains("01_users")
                .contains("02_email");
        assertStatus(cli.run("status").succeeded(), "migrate", "02_email", "In progress");
        assertThat(history(db, "migrate")).containsExactly(List.of("01_users", "t"), List.of("02_email", "f"));

        assertThat(cli.run("migrate", dir.toString()).succeeded().err()).contains("up to date");

        cli.run("complete").succeeded();
        write(dir, "03_items.yaml", Migrations.CREATE_ITEMS);
        cli.run("migrate", "--complete", dir.toString()).succeeded();
        assertStatus(cli.run("status").succeeded(), "migrate", "03_items", "Complete");

        assertThat(cli.run("migrate", dir.toString()).succeeded().err()).contains("up to date");
        assertThat(history(db, "migrate")).hasSize(3).allMatch(row -> row.get(1).equals("t"));
    }

    @Test
    void migrateWithBackfillFlags(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "migrate_backfill");
        cli.run("init").succeeded();
        write(dir, "01_users.yaml", Migrations.CREATE_USERS);
        cli.run("migrate", "-c", dir.toString()).succeeded();
        db.execute("INSERT INTO migrate_backfill.users (name) SELECT 'U' || i FROM generate_series(1, 25) i");
        write(dir, "02_email.yaml", Migrations.ADD_EMAIL);

        cli.run("migrate", "--backfill-batch-size", "7", "--backfill-batch-delay", "1ms", dir.toString())
                .succeeded();

        assertThat(db.queryValue("SELECT count(*) FROM migrate_backfill_02_email.users WHERE email IS NOT NULL"))
                .isEqualTo("25");
    }

    @Test
    void migrateExpectOne(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "expect_one");
        cli.run("init").succeeded();
        write(dir, "01_users.yaml", Migrations.CREATE_USERS);
        write(dir, "02_items.yaml", Migrations.CREATE_ITEMS);

        cli.run("migrate", "--expect-one", dir.toString()).failedWith("--expect-one", "2");
        assertStatus(cli.run("status").succeeded(), "expect_one", "", "No migrations");

        cli.run("start", "-c", dir.resolve("01_users.yaml").toString()).succeeded();
        cli.run("migrate", "--expect-one", dir.toString()).succeeded();
        assertStatus(cli.run("status").succeeded(), "expect_one", "02_items", "In progress");
    }

    static void assertStatus(CommandRun run, String schema, String version, String status) {
        JsonNode json = run.json();
        assertThat(json.fieldNames()).toIterable().containsExactly("schema", "version", "status");
        assertThat(json.get("schema").asText()).isEqualTo(schema);
        assertThat(json.get("version").asText()).isEqualTo(version);
        assertThat(json.get("status").asText()).isEqualTo(status);
    }

    static List<List<String>> history(TestDatabase db, String schema) {
        return db.query("SELECT name, done FROM pgroll.migrations WHERE schema = '" + schema + "' ORDER BY created_at");
    }

    /** The CLI pointed at one schema of the test database, created for the test. */
    record Cli(TestDatabase db, String schema) {
        Cli {
            db.execute("CREATE SCHEMA " + schema);
        }

        CommandRun run(String... command) {
            return CommandRun.against(db.postgresUrl(), schema, command);
        }

        /** {@code init}, then {@code 01_users} (written to {@code dir}) started and completed. */
        void initWithUsers(Path dir) {
            run("init").succeeded();
            run(
                            "start",
                            "-c",
                            write(dir, "01_users.yaml", Migrations.CREATE_USERS).toString())
                    .succeeded();
        }
    }

    /** {@code 01_users} completed and {@code 02_items} in progress on a schema of its own. */
    private static Cli itemsInProgress(TestDatabase db, String schema, Path dir) {
        var cli = new Cli(db, schema);
        cli.initWithUsers(dir);
        cli.run("start", write(dir, "02_items.yaml", Migrations.CREATE_ITEMS).toString())
                .succeeded();
        return cli;
    }
}
