package io.pgroll.engine.lifecycle;

import static io.pgroll.engine.lifecycle.CrashFixture.SCHEMA;
import static io.pgroll.engine.lifecycle.CrashFixture.activeWithOldVersionWrites;
import static io.pgroll.engine.lifecycle.CrashFixture.engine;
import static io.pgroll.engine.lifecycle.CrashFixture.fingerprint;
import static io.pgroll.engine.lifecycle.CrashFixture.reset;
import static io.pgroll.engine.lifecycle.CrashFixture.rows;
import static io.pgroll.engine.lifecycle.CrashFixture.writeThroughOldVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.PgrollException;
import io.pgroll.engine.Status;
import io.pgroll.engine.model.Migration;
import io.pgroll.testing.CrashingDataSource;
import io.pgroll.testing.CrashingDataSource.Crash;
import io.pgroll.testing.CrashingDataSource.Step;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crash anywhere, recover: for every kind of operation, the migrator's connection dies right after
 * each step of {@code start}, {@code complete} and {@code rollback} that changed what is committed
 * (alternately dropped by the client and terminated by the server). A fresh engine then recovers the
 * way the documentation says: {@code rollback} after a crash in start or rollback, {@code complete}
 * again after a crash in complete (roll-forward). The catalog must then be exactly what an uncrashed
 * run leaves, and so must every row, including those written through the old version while the
 * migration was active.
 *
 * <p>Steps that committed nothing new (catalog reads, statements of a transaction not yet committed)
 * leave the database as the step before them did, so a crash after them is the same crash; they are
 * counted but not tried again. {@code -Dcrash.everyStep=true} tries them too, and {@code
 * -Dcrash.processes=true} runs each crashing command in a migrator process of its own killed with
 * SIGKILL ({@link CrashingMigrator}); the {@code crash-matrix} profile sets both.
 */
@ExtendWith(PostgresExtension.class)
class CrashMatrixTest {
    private static final boolean EVERY_STEP = Boolean.getBoolean("crash.everyStep");
    private static final boolean IN_PROCESSES = Boolean.getBoolean("crash.processes");
    /**
     * Only the scenarios a part of whose name matches this regular expression (-Dcrash.scenario=...), to
     * chase one down or to split the full matrix over several runs ({@code 'rename_|drop_'}).
     */
    private static final Pattern ONLY = Pattern.compile(System.getProperty("crash.scenario", ""));

    private static final AtomicInteger STEPS = new AtomicInteger();
    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger SCENARIOS = new AtomicInteger();
    private static final AtomicInteger NOT_REACHED = new AtomicInteger();

    static Stream<Arguments> scenarios() {
        return allScenarios().filter(s -> ONLY.matcher((String) s.get()[0]).find());
    }

    private static Stream<Arguments> allScenarios() {
        return Stream.of(
                scenario(
                        "create_table",
                        """
                        - create_table:
                            name: comments
                            columns:
                              - {name: id, type: serial, pk: true}
                              - {name: post_id, type: int, references: {name: comments_post_fk, table: posts, column: id}}
                              - {name: body, type: text, unique: true, check: {name: body_short, constraint: length(body) < 200}}
                        """),
                scenario(
                        "add_column with a backfilled NOT NULL",
                        "- add_column: {table: users, up: \"'u' || id\", column: {name: handle, type: text, nullable: false}}"),
                scenario(
                        "add_column with a default, check and unique",
                        """
                        - add_column:
                            table: posts
                            column: {name: rank, type: int, default: '7', check: {name: rank_small, constraint: rank < 100}}
                        """),
                scenario(
                        "alter_column type change",
                        "- alter_column: {table: users, column: age, type: bigint, up: age, down: 'CAST(age AS int)'}"),
                scenario(
                        "alter_column set NOT NULL",
                        "- alter_column: {table: users, column: email, nullable: false, up: \"COALESCE(email, 'none')\", down: email}"),
                scenario(
                        "alter_column check",
                        """
                        - alter_column:
                            table: posts
                            column: title
                            check: {name: title_short, constraint: length(title) < 50}
                            up: left(title, 49)
                            down: title
                        """),
                scenario(
                        "alter_column unique",
                        """
                        - alter_column:
                            table: users
                            column: email
                            unique: {name: users_email_unique}
                            up: "email || '.' || id"
                            down: email
                        """),
                scenario(
                        "alter_column foreign key",
                        """
                        - alter_column:
                            table: posts
                            column: score
                            references: {name: posts_score_fk, table: users, column: id, on_delete: SET NULL}
                            up: CASE WHEN score BETWEEN 1 AND 250 THEN score END
                            down: score
                        """),
                scenario(
                        "alter_column default and comment",
                        "- alter_column: {table: posts, column: score, default: '3', comment: the score}"),
                scenario("rename_column", "- rename_column: {table: users, from: name, to: full_name}"),
                scenario("rename_table", "- rename_table: {from: posts, to: articles}"),
                scenario("drop_column", "- drop_column: {table: users, column: age, down: '0'}"),
                scenario(
                        "drop_table",
                        """
                        - create_table: {name: doomed, columns: [{name: id, type: int, pk: true}]}
                        - drop_table: {name: doomed}
                        """),
                scenario(
                        "create_index",
                        "- create_index: {name: users_name_idx, table: users, columns: [{column: name}], unique: false}"),
                scenario("drop_index", "- drop_index: {name: posts_title_idx}"),
                scenario(
                        "create_constraint check",
                        """
                        - create_constraint:
                            table: users
                            name: users_name_short
                            type: check
                            columns: [name]
                            check: length(name) < 30
                            up: {name: 'left(name, 29)'}
                            down: {name: name}
                        """),
                scenario(
                        "create_constraint unique over two columns",
                        """
                        - create_constraint:
                            table: users
                            name: users_name_email_unique
                            type: unique
                            columns: [name, email]
                            up: {name: "name || id", email: email}
                            down: {name: name, email: email}
                        """),
                scenario(
                        "create_constraint foreign key",
                        """
                        - create_constraint:
                            table: posts
                            name: posts_score_user_fk
                            type: foreign_key
                            columns: [score]
                            references: {table: users, columns: [id]}
                            up: {score: CASE WHEN score BETWEEN 1 AND 250 THEN score END}
                            down: {score: score}
                        """),
                scenario(
                        "drop_constraint",
                        "- drop_constraint: {table: users, name: users_age_positive, up: age, down: 'GREATEST(age, 0)'}"),
                scenario(
                        "drop_multicolumn_constraint",
                        """
                        - drop_multicolumn_constraint:
                            table: posts
                            name: posts_title_score_unique
                            up: {title: title, score: score}
                            down: {title: "title || '-' || id", score: score}
                        """),
                scenario(
                        "rename_constraint",
                        "- rename_constraint: {table: users, from: users_age_positive, to: age_ok}"),
                scenario("set_replica_identity", "- set_replica_identity: {table: users, identity: {type: full}}"),
                scenario(
                        "sql",
                        "- sql: {up: 'CREATE TABLE audit (id int, note text); INSERT INTO audit VALUES (1, ''x'')', "
                                + "down: 'DROP TABLE audit'}"),
                scenario("sql run at complete", "- sql: {up: 'CREATE TABLE late (id int)', onComplete: true}"),
                scenario(
                        "several operations on one table",
                        """
                        - add_column: {table: users, up: "'u' || id", column: {name: handle, type: text, nullable: false}}
                        - alter_column: {table: users, column: age, type: bigint, up: age, down: 'CAST(age AS int)'}
                        - create_index: {name: users_handle_idx, table: users, columns: [{column: handle}]}
                        - rename_column: {table: users, from: email, to: mail}
                        """));
    }

    private static Arguments scenario(String name, String operations) {
        String yaml = "operations:\n"
                + operations
                        .stripTrailing()
                        .lines()
                        .map(l -> "  " + l)
                        .reduce((a, b) -> a + "\n" + b)
                        .orElseThrow() + "\n";
        return Arguments.of(name, yaml);
    }

    @AfterAll
    static void summary() {
        if (SCENARIOS.get() == 0) {
            return;
        }
        System.out.printf(
                "crash matrix: %d scenarios passed, %d steps of start, complete and rollback, %d crash points tried"
                        + " (%s, %s), %d of them not reached (the command ended before its step, or met it only handing its connection back)%n",
                SCENARIOS.get(),
                STEPS.get(),
                TRIED.get(),
                EVERY_STEP ? "every step" : "every step that committed",
                IN_PROCESSES
                        ? "each a migrator process killed with SIGKILL"
                        : "connections dropped by the client and terminated by the server in turn",
                NOT_REACHED.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void aCrashAfterAnyStepIsRecovered(String name, String yaml, TestDatabase db) {
        Migration migration = MigrationHarness.migration("02_change", yaml);

        // what an uncrashed run does, step by step, and leaves behind
        reset(db);
        String before = fingerprint(db);
        List<String> rowsBefore = rows(db);
        List<Step> startSteps = recorded(db, p -> p.start(migration));
        writeThroughOldVersion(db);
        List<Step> rollbackSteps = recorded(db, Pgroll::rollback);
        assertThat(fingerprint(db)).as("catalog after rollback").isEqualTo(before);
        List<String> rowsRolledBack = rows(db);
        activeWithOldVersionWrites(db, migration);
        List<Step> completeSteps = recorded(db, Pgroll::complete);
        String completed = fingerprint(db);
        List<String> rowsCompleted = rows(db);

        for (Step step : tried(startSteps)) {
            reset(db);
            crash(db, step, "start", p -> p.start(migration), yaml);
            recover(db, Pgroll::rollback);
            assertRecovered(db, "start", step, before, rowsBefore, "01_base");
        }
        for (Step step : tried(rollbackSteps)) {
            activeWithOldVersionWrites(db, migration);
            crash(db, step, "rollback", Pgroll::rollback, yaml);
            recover(db, Pgroll::rollback);
            assertRecovered(db, "rollback", step, before, rowsRolledBack, "01_base");
        }
        for (Step step : tried(completeSteps)) {
            activeWithOldVersionWrites(db, migration);
            crash(db, step, "complete", Pgroll::complete, yaml);
            recover(db, Pgroll::complete);
            assertRecovered(db, "complete", step, completed, rowsCompleted, "02_change");
        }
        SCENARIOS.incrementAndGet();
        System.out.printf(
                "crash matrix: %s: %d/%d/%d steps in start/rollback/complete%n",
                name, startSteps.size(), rollbackSteps.size(), completeSteps.size());
        STEPS.addAndGet(startSteps.size() + rollbackSteps.size() + completeSteps.size());
    }

    /**
     * Not after a step but in the middle of one: the backend is terminated while a backfill batch's
     * UPDATE runs (each row's {@code up} sleeps a little, so that one is always running).
     */
    @Test
    void aBackendTerminatedInTheMiddleOfABackfillBatchIsRecovered(TestDatabase db) throws Exception {
        Migration migration = MigrationHarness.migration(
                "02_change",
                """
                operations:
                  - add_column:
                      table: users
                      up: "'u' || id || CAST(pg_sleep(0.0002) AS text)"
                      column: {name: handle, type: text, nullable: false}
                """);
        reset(db);
        db.execute("INSERT INTO app.users (name, age) SELECT 'more ' || g, g FROM generate_series(1, 5000) g");
        String before = fingerprint(db);
        List<String> rowsBefore = rows(db);

        AtomicReference<String> terminated = new AtomicReference<>();
        Thread killer = new Thread(() -> terminated.set(terminateABackfillBatch(db)));
        killer.start();
        assertThatThrownBy(() -> engine(db.dataSource()).start(migration))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("start failed");
        killer.join();
        assertThat(terminated.get()).as("the batch terminated").startsWith("UPDATE");

        recover(db, Pgroll::rollback);
        assertThat(fingerprint(db)).isEqualTo(before);
        assertThat(rows(db)).isEqualTo(rowsBefore);

        engine(db.dataSource()).start(migration, true);
        assertThat(db.queryValue("SELECT count(*) FROM app.users WHERE handle = 'u' || id"))
                .isEqualTo("5250");
    }

    /** Waits for the migrator to run a backfill UPDATE, terminates its backend mid-statement, and returns it. */
    private static String terminateABackfillBatch(TestDatabase db) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<List<String>> running = db.query(
                    "SELECT pid, query FROM pg_stat_activity WHERE application_name LIKE 'pgroll start%'"
                            + " AND state = 'active' AND query LIKE 'UPDATE%' AND now() - query_start > interval '5 ms'");
            if (!running.isEmpty()) {
                db.execute("SELECT pg_terminate_backend(" + running.get(0).get(0) + ")");
                return running.get(0).get(1);
            }
        }
        return "no backfill batch seen running";
    }

    private static List<Step> tried(List<Step> steps) {
        List<Step> tried = steps.stream()
                .filter(s -> EVERY_STEP || s.changesCommittedState())
                .toList();
        TRIED.addAndGet(tried.size());
        return tried;
    }

    /** Runs the command on connections that die after {@code step}; the command must fail. */
    private static void crash(TestDatabase db, Step step, String command, Consumer<Pgroll> run, String yaml) {
        if (IN_PROCESSES) {
            crashProcess(db, step, command, yaml);
            return;
        }
        Crash how = step.number() % 2 == 0 ? Crash.TERMINATE : Crash.ABANDON;
        CrashingDataSource dying = CrashingDataSource.crashingAfter(db.dataSource(), step.number(), how);
        try {
            run.accept(engine(dying));
        } catch (RuntimeException e) {
            assertThat(dying.crashed())
                    .as("%s failed before its step %d, not by the crash: %s", command, step.number(), e.getMessage())
                    .isTrue();
            return;
        }
        // A statement retried in the uncrashed run (a lock wait) made it longer than this one: the command
        // ended before the step, or met it only among the statements that hand the connection back (whose
        // failure is rightly ignored: the work is done), and what is checked next is its normal outcome's
        // recovery.
        if (dying.crashed()) {
            assertThat(dying.crashedAfter())
                    .as("%s crashed yet did not fail", command)
                    .containsAnyOf("pg_advisory_unlock", "RESET ROLE", "RESET ALL");
        }
        NOT_REACHED.incrementAndGet();
    }

    /** The same in a migrator process of its own, killed with SIGKILL right after the step. */
    private static void crashProcess(TestDatabase db, Step step, String command, String yaml) {
        try {
            Path file = Files.createTempFile("02_change", ".yaml");
            Path output = Files.createTempFile("crashing-migrator", ".log");
            Files.writeString(file, yaml);
            Process migrator = new ProcessBuilder(CrashingMigrator.commandLine(List.of(
                            db.jdbcUrl(),
                            db.user(),
                            db.password(),
                            SCHEMA,
                            command,
                            Integer.toString(step.number()),
                            file.toString())))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            int exit = migrator.waitFor();
            String said = Files.readString(output);
            Files.delete(file);
            Files.delete(output);
            assertThat(exit)
                    .as(
                            "%s in its own process failed before its step %d (%s), not by the crash:%n%s",
                            command, step.number(), step.what(), said)
                    .isNotEqualTo(CrashingMigrator.FAILED_EARLY);
            if (exit == CrashingMigrator.ENDED_EARLY) {
                NOT_REACHED.incrementAndGet();
                return;
            }
            assertThat(exit)
                    .as("%s in its own process, killed after step %d (%s)", command, step.number(), step.what())
                    .isEqualTo(128 + 9);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The documented way out, by a new engine: only when a migration is still in progress. */
    private static void recover(TestDatabase db, Consumer<Pgroll> wayOut) {
        Pgroll pgroll = engine(db.dataSource());
        if (pgroll.status().state() == Status.State.IN_PROGRESS) {
            wayOut.accept(pgroll);
        }
    }

    private static void assertRecovered(
            TestDatabase db, String command, Step step, String catalog, List<String> rows, String version) {
        String where = command + " crashed after step " + step.number() + " (" + step.what() + ")";
        assertThat(fingerprint(db)).as("catalog once recovered from " + where).isEqualTo(catalog);
        assertThat(rows(db)).as("rows once recovered from " + where).isEqualTo(rows);
        Status status = engine(db.dataSource()).status();
        assertThat(status.state()).as("state once recovered from " + where).isEqualTo(Status.State.COMPLETE);
        assertThat(status.version()).as("version once recovered from " + where).isEqualTo(version);
    }

    private static List<Step> recorded(TestDatabase db, Consumer<Pgroll> run) {
        CrashingDataSource recording = CrashingDataSource.recording(db.dataSource());
        run.accept(engine(recording));
        return recording.steps();
    }
}
