package io.pgroll.cli;

import static io.pgroll.cli.CliLifecycleTest.assertStatus;
import static io.pgroll.cli.CliLifecycleTest.history;
import static io.pgroll.cli.CommandRun.run;
import static io.pgroll.cli.CommandRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.cli.CliLifecycleTest.Cli;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure: a non-zero exit code, one paragraph on stderr that starts with "Error: " and names what
 * is at fault, no stack trace unless --verbose, and nothing changed in the database.
 */
@ExtendWith(PostgresExtension.class)
class CliErrorsTest {

    @Test
    void syntaxErrorInTheFile(TestDatabase db, @TempDir Path dir) {
        var cli = initialised(db, "syntax");
        Path file = write(dir, "01_broken.yaml", "operations:\n  - create_table: {name: users, columns: [\n");

        cli.run("start", file.toString()).failedWith("01_broken.yaml");

        assertNothingApplied(cli);
    }

    @Test
    void fileWithANameKey(TestDatabase db, @TempDir Path dir) {
        var cli = initialised(db, "name_key");
        Path file = write(dir, "01_named.yaml", "name: something_else\n" + Migrations.CREATE_USERS);

        cli.run("start", file.toString()).failedWith("01_named.yaml", "name");

        assertNothingApplied(cli);
    }

    @Test
    void aMistypedFlagNeverEchoesThePassword() {
        CommandRun typo = run("--postgres-ulr", "postgres://me:s3cret@localhost:5432/db", "status");
        typo.failedWith("--postgres-ulr", "postgres://me:***@localhost:5432/db");
        assertThat(typo.err()).doesNotContain("s3cret");
        CommandRun jdbc = run("--postgres-ulr", "jdbc:postgresql://localhost/db?user=me&password=s3cret", "status");
        jdbc.failedWith("password=***");
        assertThat(jdbc.err()).doesNotContain("s3cret");
    }

    @Test
    void anUnresolvableHostIsNamed() {
        CommandRun status = run("--postgres-url", "postgres://me:s3cret@no-such-host.invalid/app", "status");
        status.failedWith("unknown host no-such-host.invalid", "Check the host");
        assertThat(status.err()).doesNotContain("s3cret");
    }

    @Test
    void aFlagValueThatMakesNoSenseIsAUsageError(@TempDir Path dir) {
        Path file = write(dir, "01_users.yaml", Migrations.CREATE_USERS);
        CommandRun delay = run("start", "--backfill-batch-delay", "bogus", file.toString());
        delay.failedWith("--backfill-batch-delay", "bogus", "Run 'pgroll start --help' for usage.");
        assertThat(delay.exitCode()).isEqualTo(2);
        CommandRun budget = run("--lock-retry-budget", "0", "start", file.toString());
        budget.failedWith("--lock-retry-budget must be positive");
        assertThat(budget.exitCode()).isEqualTo(2);
        CommandRun url = run("--postgres-url", "postgres://h/app?require_auth=password", "status");
        url.failedWith("require_auth=password", "cannot guarantee");
        assertThat(url.exitCode()).isEqualTo(2);
    }

    @Test
    void aConnectionParameterThatIsIgnoredIsWarnedOf(TestDatabase db) {
        CommandRun status = run(
                "--postgres-url",
                db.postgresUrl() + (db.postgresUrl().contains("?") ? "&" : "?") + "keepalives_idle=30",
                "status");
        assertThat(status.err()).contains("warning: the connection parameter keepalives_idle has no equivalent");
    }

    @Test
    void anUpThatDoesNotParseIsCaughtByValidate(TestDatabase db, @TempDir Path dir) {
        var cli = initialised(db, "bad_up");
        cli.run(
                        "start",
                        "--complete",
                        write(dir, "01_users.yaml", Migrations.CREATE_USERS).toString())
                .succeeded();
        Path file = write(
                dir,
                "02_bio.yaml",
                "operations:\n  - add_column: {table: users, up: SELEC bio, column: {name: bio, type: text}}\n");

        cli.run("validate", file.toString())
                .failedWith("02_bio.yaml", "operation 1 (add_column", "`up` of column \"bio\", \"SELEC bio\"");
        cli.run("start", file.toString()).failedWith("02_bio.yaml", "SELEC bio", "Nothing was changed");
        assertStatus(cli.run("status").succeeded(), "bad_up", "01_users", "Complete");
    }

    @Test
    void unknownTable(TestDatabase db, @TempDir Path dir) {
        var cli = initialised(db, "unknown_table");
        Path file = write(dir, "01_email.yaml", Migrations.ADD_EMAIL);

        cli.run("start", file.toString()).failedWith("01_email", "add_column", "users");
        cli.run("validate", file.toString()).failedWith("01_email", "add_column", "users");

        assertNothingApplied(cli);
        assertThat(db.queryValue(
                        "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'unknown_table_%'"))
                .isEqualTo("0");
    }

    @Test
    void secondMigrationWhileOneIsActive(TestDatabase db, @TempDir Path dir) {
        var cli = initialised(db, "second");
        cli.run("start", write(dir, "01_users.yaml", Migrations.CREATE_USERS).toString())
                .succeeded();

        cli.run("start", write(dir, "02_items.yaml", Migrations.CREATE_ITEMS).toString())
                .failedWith("01_users");

        assertStatus(cli.run("status").succeeded(), "second", "01_users", "In progress");
        assertThat(history(db, "second")).containsExactly(List.of("01_users", "f"));
        assertThat(db.queryValue("SELECT count(*) FROM information_schema.tables WHERE table_name = 'items'"))
                .isEqualTo("0");
    }

    @Test
    void completeOrRollbackWithNothingActive(TestDatabase db, @TempDir Path dir) {
        var cli = initialised(db, "nothing_active");

        cli.run("complete").failedWith("nothing_active");
        cli.run("rollback").failedWith("nothing_active");
        assertNothingApplied(cli);

        cli.run(
                        "start",
                        "-c",
                        write(dir, "01_users.yaml", Migrations.CREATE_USERS).toString())
                .succeeded();
        cli.run("complete").failedWith("nothing_active");
        assertStatus(cli.run("status").succeeded(), "nothing_active", "01_users", "Complete");
    }

    @Test
    void commandBeforeInit(TestDatabase db, @TempDir Path dir) {
        db.execute("CREATE SCHEMA before_init");
        var cli = CommandRun.against(
                db.postgresUrl(),
                "before_init",
                "--pgroll-schema",
                "never_initialised",
                "start",
                write(dir, "01_users.yaml", Migrations.CREATE_USERS).toString());

        cli.failedWith("init");
        assertThat(db.queryValue("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'before_init'"))
                .isEqualTo("0");
    }

    @Test
    void missingFileAndDirectory(TestDatabase db, @TempDir Path dir) {
        var cli = initialised(db, "missing_file");

        cli.run("start", dir.resolve("01_nope.yaml").toString()).failedWith("01_nope.yaml");
        cli.run("migrate", dir.resolve("nowhere").toString()).failedWith("nowhere");
        cli.run("latest", "schema", "--local", dir.toString()).failedWith(dir.toString());

        assertNothingApplied(cli);
    }

    @Test
    void unreachableServer(@TempDir Path dir) {
        var run = CommandRun.against(
                "postgres://someone:s3cr3t-pw@127.0.0.1:1/db",
                "public",
                "start",
                write(dir, "01_users.yaml", Migrations.CREATE_USERS).toString());

        run.failedWith("127.0.0.1:1");
        assertThat(run.err()).doesNotContain("s3cr3t-pw");
    }

    @Test
    @SuppressWarnings("try") // the resource only holds the password rule in place
    void wrongPassword(TestDatabase db) {
        db.execute("CREATE SCHEMA wrong_password");
        try (var ignored = PasswordAuthentication.require(db, "cli_migrator", "right-pw")) {
            String url = "postgres://cli_migrator:wrong-pw@" + db.host() + ":" + db.port() + "/" + db.name();

            var run = CommandRun.against(url, "wrong_password", "--pgroll-schema", "wrong_password_state", "init");

            run.failedWith("password authentication failed", "cli_migrator");
            assertThat(run.err()).doesNotContain("wrong-pw");
        }
        assertThat(db.queryValue(
                        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'wrong_password_state'"))
                .as("nothing initialised")
                .isEqualTo("0");
    }

    @Test
    void badPostgresUrl() {
        run("status", "--postgres-url", "db.example:5432/app").failedWith("--postgres-url", "db.example:5432/app");
        var invalidUri = run("status", "--postgres-url", "postgres://me:pass word@host/app");
        invalidUri.failedWith("--postgres-url", "not a valid URL");
        assertThat(invalidUri.err()).doesNotContain("pass word");
    }

    @Test
    void usageErrors() {
        var unknownFlag = run("status", "--no-such-flag");
        assertThat(unknownFlag.exitCode()).isEqualTo(2);
        assertThat(unknownFlag.err())
                .startsWith("Error: ")
                .contains("--no-such-flag")
                .contains("pgroll status --help");
        assertThat(unknownFlag.err().strip()).doesNotContain("\n");

        var missingFile = run("start");
        assertThat(missingFile.exitCode()).isEqualTo(2);
        assertThat(missingFile.err()).startsWith("Error: ").contains("FILE");

        var unknownCommand = run("strat", "x.yaml");
        assertThat(unknownCommand.exitCode()).isEqualTo(2);
        assertThat(unknownCommand.err()).startsWith("Error: ").contains("strat").contains("start");
    }

    @Test
    void helpOnEveryCommand() {
        var help = run("start", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: pgroll start").contains("--backfill-batch-size");

        assertThat(run("latest", "schema", "-h").out()).contains("Usage: pgroll latest schema");
        assertThat(run("--version").out()).startsWith("pgroll for the JVM");
    }

    @Test
    void migrateWhenARecordedFileChanged(TestDatabase db, @TempDir Path dir) throws IOException {
        var cli = initialised(db, "changed_file");
        Path first = write(dir, "01_users.yaml", Migrations.CREATE_USERS);
        cli.run("migrate", "--complete", dir.toString()).succeeded();
        Files.writeString(first, Migrations.CREATE_USERS.replace("type: text", "type: varchar(100)"));
        write(dir, "02_items.yaml", Migrations.CREATE_ITEMS);

        cli.run("migrate", dir.toString()).failedWith("01_users", "changed");

        assertStatus(cli.run("status").succeeded(), "changed_file", "01_users", "Complete");
        assertThat(history(db, "changed_file")).hasSize(1);
    }

    @Test
    void migrateWhenARecordedFileIsMissing(TestDatabase db, @TempDir Path dir) throws IOException {
        var cli = initialised(db, "missing_recorded");
        write(dir, "01_users.yaml", Migrations.CREATE_USERS);
        cli.run("migrate", "--complete", dir.toString()).succeeded();
        Files.delete(dir.resolve("01_users.yaml"));
        write(dir, "02_items.yaml", Migrations.CREATE_ITEMS);

        cli.run("migrate", dir.toString()).failedWith("01_users");

        assertStatus(cli.run("status").succeeded(), "missing_recorded", "01_users", "Complete");
        assertThat(history(db, "missing_recorded")).hasSize(1);
    }

    @Test
    void hostileFilesFailFastAndApplyNothing(TestDatabase db, @TempDir Path dir) throws IOException {
        var cli = initialised(db, "hostile_files");
        Path huge = dir.resolve("01_huge.json");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(100L * 1024 * 1024);
        }
        cli.run("start", huge.toString()).failedWith("01_huge.json: the migration is 100.0 MiB long", "at most 4 MiB");
        String deep = "operations: " + "[".repeat(10_000) + "]".repeat(10_000);
        cli.run("start", write(dir, "01_deep.yaml", deep).toString())
                .failedWith("01_deep.yaml: YAML syntax error", "nested");
        cli.run(
                        "start",
                        write(dir, "01_cut.json", "{\"operations\": [{\"create_table\": {\"name\": \"us")
                                .toString())
                .failedWith("01_cut.json: JSON syntax error at line 1");
        cli.run(
                        "start",
                        write(
                                        dir,
                                        "01_break_out.yaml",
                                        Migrations.CREATE_USERS.replace(
                                                "type: text",
                                                "type: text\n          default: \"'x'); DROP TABLE victims; --\""))
                                .toString())
                .failedWith("01_break_out.yaml", "`default`", "is not one expression", "Nothing was changed.");
        assertNothingApplied(cli);
    }

    @Test
    void verbosePrintsTheStackTrace(TestDatabase db, @TempDir Path dir) {
        var cli = initialised(db, "verbose_flag");
        String file = write(dir, "01_email.yaml", Migrations.ADD_EMAIL).toString();

        var before = cli.run("--verbose", "start", file);
        var after = cli.run("start", file, "--verbose");

        for (var run : List.of(before, after)) {
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.err()).startsWith("Error: ").contains("01_email").contains("\tat ");
        }
        assertNothingApplied(cli);
    }

    private static Cli initialised(TestDatabase db, String schema) {
        var cli = new Cli(db, schema);
        cli.run("init").succeeded();
        return cli;
    }

    private static void assertNothingApplied(Cli cli) {
        assertStatus(cli.run("status").succeeded(), cli.schema(), "", "No migrations");
        assertThat(cli.db()
                        .queryValue("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                                + cli.schema() + "'"))
                .isEqualTo("0");
    }
}
