package io.pgroll.cli;

import static io.pgroll.cli.CommandRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.cli.CliLifecycleTest.Cli;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.testing.CatalogFingerprint;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The commands that write migration files or read the schema: pull, baseline, update, create, analyze. */
@ExtendWith(PostgresExtension.class)
class CliHistoryFilesTest {

    @Test
    void pullThenMigrateOnANewDatabaseBuildsTheSameCatalog(@TempDir Path applied, @TempDir Path pulled)
            throws Exception {
        try (TestDatabase original = TestDatabase.create("pull_from");
                TestDatabase fresh = TestDatabase.create("pull_into")) {
            var cli = new Cli(original, "app");
            cli.run("init").succeeded();
            write(applied, "01_users.yaml", Migrations.CREATE_USERS);
            write(applied, "02_email.yaml", Migrations.ADD_EMAIL);
            write(applied, "03_items.yaml", Migrations.CREATE_ITEMS);
            cli.run("migrate", applied.toString()).succeeded();

            assertThat(cli.run("pull", pulled.toString()).succeeded().err()).contains("Pulled 3 migration(s)");
            assertThat(fileNames(pulled)).containsExactly("01_users.yaml", "02_email.yaml", "03_items.yaml");
            for (String name : List.of("01_users", "02_email", "03_items")) {
                assertThat(MigrationReader.readFile(pulled.resolve(name + ".yaml")))
                        .isEqualTo(MigrationReader.readFile(applied.resolve(name + ".yaml")));
            }
            assertThat(cli.run("pull", pulled.toString()).succeeded().err())
                    .contains("has every migration of the history already");
            // the directory pulled is the history: migrate finds nothing to do
            assertThat(cli.run("migrate", pulled.toString()).succeeded().err()).contains("up to date");

            var onFresh = new Cli(fresh, "app");
            onFresh.run("init").succeeded();
            onFresh.run("migrate", pulled.toString()).succeeded();
            assertThat(fingerprint(fresh)).isEqualTo(fingerprint(original));

            Path asJson = pulled.resolve("json");
            cli.run("pull", "-j", "--with-prefixes", asJson.toString()).succeeded();
            assertThat(fileNames(asJson))
                    .containsExactly("0001_01_users.json", "0002_02_email.json", "0003_03_items.json");
            assertThat(MigrationReader.readFile(asJson.resolve("0002_02_email.json"))
                            .operations())
                    .isEqualTo(MigrationReader.readFile(applied.resolve("02_email.yaml"))
                            .operations());
        }
    }

    @Test
    void baselineAnExistingSchemaThenMigrateOnTop(TestDatabase db, @TempDir Path dir) throws IOException {
        var cli = new Cli(db, "existing");
        cli.run("init").succeeded();
        db.execute(
                "CREATE TABLE existing.users (id serial PRIMARY KEY, name text)",
                "INSERT INTO existing.users (name) VALUES ('ann')");

        assertThat(cli.run("baseline", "01_initial", dir.toString()).succeeded().err())
                .contains("Baseline 01_initial", "pg_dump");
        String placeholder = Files.readString(dir.resolve("01_initial.yaml"));
        assertThat(placeholder).startsWith("# Baseline of schema \"existing\"");
        assertThat(MigrationReader.readFile(dir.resolve("01_initial.yaml")))
                .isEqualTo(Migration.baselinePlaceholder("01_initial"));
        assertThat(db.queryValue(
                        "SELECT migration_type || ' ' || done FROM pgroll.migrations WHERE schema =" + " 'existing'"))
                .isEqualTo("baseline true");

        write(dir, "02_email.yaml", Migrations.ADD_EMAIL);
        assertThat(cli.run("migrate", "-c", dir.toString()).succeeded().err())
                .contains("Applied 1 migration(s): 02_email");
        assertThat(db.queryValue("SELECT email FROM existing.users")).isEqualTo("ann@example.com");

        // a second baseline restarts a history: not without --yes when nobody can be asked
        cli.run("baseline", "03_again", dir.toString()).failedWith("has a migration history", "--yes", "nothing");
        assertThat(dir.resolve("03_again.yaml")).doesNotExist();
        cli.run("baseline", "-y", "02_email", dir.toString()).failedWith("02_email.yaml exists already");
        cli.run("baseline", "--yes", "03_again", dir.resolve("sub").toString()).succeeded();
        assertThat(CliLifecycleTest.history(db, "existing")).hasSize(3);
    }

    @Test
    void aBaselineThatTheDatabaseRefusesLeavesNoFile(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "busy");
        cli.run("init").succeeded();
        cli.run("start", write(dir, "01_users.yaml", Migrations.CREATE_USERS).toString())
                .succeeded();

        cli.run("baseline", "-y", "02_base", dir.toString()).failedWith("01_users", "in progress");
        assertThat(dir.resolve("02_base.yaml")).doesNotExist();
    }

    @Test
    void updateRewritesOnlyTheFilesInOlderFormats(@TempDir Path dir) throws IOException {
        String current = "operations:\n  - drop_index: {name: idx}\n";
        write(dir, "01_current.yaml", current);
        write(
                dir,
                "02_old.yaml",
                "name: 02_old\noperations:\n  - create_index: {name: i, table: t, columns: [a, b]}\n");
        write(
                dir,
                "03_old.json",
                "{\"operations\": [{\"create_index\": {\"name\": \"j\", \"table\": \"t\", \"columns\":"
                        + " {\"a\": {\"sort\": \"DESC\"}}}}]}");

        write(dir, "03_short.yml", "name: 03_short\noperations:\n  - drop_index: {name: idx2}\n");

        var run = CommandRun.run("update", dir.toString()).succeeded();

        assertThat(run.err()).contains("02_old.yaml", "03_old.json", "03_short.yml", "Updated 3 file(s)");
        assertThat(MigrationReader.readFile(dir.resolve("03_short.yml")).operations())
                .hasSize(1);
        assertThat(Files.readString(dir.resolve("01_current.yaml"))).isEqualTo(current);
        assertThat(MigrationReader.readFile(dir.resolve("02_old.yaml")))
                .isEqualTo(MigrationReader.read(
                        "operations:\n  - create_index: {name: i, table: t, columns: [{column: a}, {column: b}]}\n",
                        "02_old",
                        null));
        assertThat(MigrationReader.readFile(dir.resolve("03_old.json")).operations())
                .hasSize(1);
        assertThat(CommandRun.run("update", dir.toString()).succeeded().err()).contains("in the current format");

        write(dir, "04_old.yaml", "name: 04_old\noperations:\n  - create_index: {name: k, table: t, columns: [c]}\n");
        write(dir, "05_broken.yaml", "operations:\n  - drop_index: {name: idx, if_exists: true}\n");
        CommandRun.run("update", dir.toString()).failedWith("05_broken.yaml", "if_exists");
        assertThat(Files.readString(dir.resolve("04_old.yaml"))).startsWith("name: 04_old");
    }

    @Test
    void createWritesTheSkeletonsAskedFor(@TempDir Path dir) {
        CommandRun.run(
                        "create",
                        "-n",
                        "02_profile",
                        "-o",
                        "add_column",
                        "--operation",
                        "create_index",
                        "--dir",
                        dir.toString())
                .succeeded();
        Migration created = MigrationReader.readFile(dir.resolve("02_profile.yaml"));
        assertThat(created.operations()).extracting(o -> o.kind()).containsExactly("add_column", "create_index");

        CommandRun.run("create", "--name", "03_empty", "-e", "-j", "--dir", dir.toString())
                .succeeded();
        assertThat(MigrationReader.readDocument(readString(dir.resolve("03_empty.json")), null)
                        .operations())
                .isEmpty();

        CommandRun.run("create", "-e", "--dir", dir.toString()).failedWith("--name");
        CommandRun.run("create", "-n", "04_x", "-o", "add_columns", "--dir", dir.toString())
                .failedWith("unknown operation \"add_columns\"", "add_column");
        CommandRun.run("create", "-n", "02_profile", "-e", "--dir", dir.toString())
                .failedWith("exists already");
    }

    @Test
    void analyzePrintsTheSchemaAsTheEngineReadsIt(TestDatabase db, @TempDir Path dir) {
        var cli = new Cli(db, "analyzed");
        cli.initWithUsers(dir);

        var json = cli.run("analyze").succeeded().json();

        assertThat(json.path("name").asText()).isEqualTo("analyzed");
        assertThat(json.path("tables")
                        .path("users")
                        .path("columns")
                        .path("name")
                        .path("type")
                        .asText())
                .isEqualTo("text");
        assertThat(json.path("tables").path("users").path("primaryKey").get(0).asText())
                .isEqualTo("id");
    }

    @Test
    void aCommandThatDoesNotExistIsNamedWithTheCommands() {
        var unknown = CommandRun.run("squash", "x.sql");
        assertThat(unknown.exitCode()).isEqualTo(2);
        unknown.failedWith("unknown command \"squash\"", "The commands are: init, start", "baseline");
        assertThat(unknown.err()).doesNotContain("did you mean");

        var unknownHelp = CommandRun.run("squash", "--help");
        assertThat(unknownHelp.exitCode()).isEqualTo(2);
        unknownHelp.failedWith("unknown command \"squash\"");
        assertThat(unknownHelp.out()).isEmpty();
    }

    @Test
    void convertPrintsTheMigrationAndNamesWhatStaysSql(TestDatabase db, @TempDir Path dir) throws IOException {
        Path sql = write(
                dir,
                "V1__init.sql",
                """
                CREATE TABLE teams (id integer PRIMARY KEY, name text NOT NULL);
                CREATE VIEW team_names AS SELECT name FROM teams;
                DROP INDEX IF EXISTS old_a, old_b;
                """);
        var run = CommandRun.run("convert", sql.toString()).succeeded();
        Migration converted = MigrationReader.readContent("01_init.yaml", run.out());
        assertThat(converted.operations()).extracting(o -> o.kind()).containsExactly("create_table", "sql", "sql");
        assertThat(run.err())
                .isEqualTo("warning: " + sql + ", line 3: kept as a sql operation (several indexes in one DROP INDEX):"
                        + " DROP INDEX IF EXISTS old_a, old_b\n");
        assertThat(CommandRun.run("convert", "-j", sql.toString()).succeeded().out())
                .startsWith("{");

        // the file converted is a migration start accepts
        var cli = new Cli(db, "converted");
        cli.run("init").succeeded();
        Path file = write(dir, "01_init.yaml", run.out());
        cli.run("start", "-c", file.toString()).succeeded();
        assertThat(db.queryValue("SELECT count(*) FROM information_schema.views WHERE table_schema = 'converted'"))
                .isEqualTo("1");

        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("DROP INDEX old_idx;".getBytes(StandardCharsets.UTF_8)));
            assertThat(CommandRun.run("convert").succeeded().out())
                    .isEqualTo("operations:\n  - drop_index:\n      name: old_idx\n");
        } finally {
            System.setIn(stdin);
        }
        CommandRun.run("convert", write(dir, "bad.sql", "SELECT 'open").toString())
                .failedWith("bad.sql: line 1: the string opened there is never closed");
    }

    @Test
    void lintNamesTheBlockingStatementsOfSqlAndMigrationFiles(TestDatabase db, @TempDir Path dir) {
        Path flyway = write(
                dir,
                "V3__index.sql",
                "-- V3\nCREATE INDEX owners_name ON owners (name);\nALTER TABLE owners RENAME COLUMN a TO b;\n");
        Path migration = write(
                dir,
                "03_index.yaml",
                "operations:\n  - sql:\n      up: CREATE INDEX owners_city ON owners (city)\n"
                        + "      down: DROP INDEX owners_city\n");
        var run = CommandRun.run("lint", flyway.toString(), migration.toString());
        run.failedWith("4 statement(s) would block the application or break its running version");
        assertThat(run.out().lines())
                .containsExactly(
                        flyway + ": line 2: missing-lock-timeout: this statement waits for its lock with no"
                                + " lock_timeout: while it waits behind a long transaction, every query on the table"
                                + " queues behind it. Put SET lock_timeout = '2s' (and retry on timeout) before it",
                        flyway + ": line 2: index-not-concurrently: CREATE INDEX holds a SHARE lock, blocking writes to"
                                + " the table until the index is built. Use CREATE INDEX CONCURRENTLY (outside a"
                                + " transaction)",
                        flyway + ": line 3: rename: the running version's queries naming the old name fail from now"
                                + " on. Rename through a view or a version schema (pgroll's rename operations do)",
                        migration + " operation 1 (sql): line 1: index-not-concurrently: CREATE INDEX holds a SHARE"
                                + " lock, blocking writes to the table until the index is built. Use CREATE INDEX"
                                + " CONCURRENTLY (outside a transaction)");
        assertThat(CommandRun.run(
                                "lint",
                                write(dir, "ok.sql", "CREATE INDEX CONCURRENTLY i ON t (a);")
                                        .toString())
                        .succeeded()
                        .err())
                .contains("Nothing found");

        // start runs the sql as written, and says first what it blocks
        var cli = new Cli(db, "linted");
        cli.initWithUsers(dir);
        Path users = write(
                dir,
                "02_index.yaml",
                "operations:\n  - sql:\n      up: CREATE INDEX users_name ON users (name)\n"
                        + "      down: DROP INDEX users_name\n");
        assertThat(cli.run("start", users.toString()).succeeded().err())
                .contains("note: 02_index: operation 1 (sql), line 1: index-not-concurrently: CREATE INDEX holds a"
                        + " SHARE lock")
                .doesNotContain("missing-lock-timeout");
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> f.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String fingerprint(TestDatabase db) throws SQLException {
        try (Connection c = db.connect()) {
            return CatalogFingerprint.of(c, "pgroll");
        }
    }
}
