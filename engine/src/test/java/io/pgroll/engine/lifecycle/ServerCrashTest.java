package io.pgroll.engine.lifecycle;

import static io.pgroll.engine.lifecycle.CrashFixture.activeWithOldVersionWrites;
import static io.pgroll.engine.lifecycle.CrashFixture.engine;
import static io.pgroll.engine.lifecycle.CrashFixture.fingerprint;
import static io.pgroll.engine.lifecycle.CrashFixture.reset;
import static io.pgroll.engine.lifecycle.CrashFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.Status;
import io.pgroll.engine.model.Migration;
import io.pgroll.testing.CrashingDataSource;
import io.pgroll.testing.CrashingDataSource.Step;
import io.pgroll.testing.RestartablePostgres;
import io.pgroll.testing.TestDatabase;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server itself crashes (immediate shutdown: every backend ends at once, nothing is checkpointed)
 * while a migration is active, in the middle of complete or of rollback, and right after start returned, and starts
 * again from its WAL: the migration goes on from where the state says it is, and nothing acknowledged
 * is lost. On a server of the test's own, with PostgreSQL's durable defaults.
 */
class ServerCrashTest {
    private static final Migration MIGRATION = MigrationHarness.migration(
            "02_change",
            """
            operations:
              - add_column: {table: users, up: "'u' || id", column: {name: handle, type: text, nullable: false}}
              - alter_column: {table: users, column: age, type: bigint, up: age, down: 'CAST(age AS int)'}
              - create_index: {name: users_handle_idx, table: users, columns: [{column: handle}]}
            """);

    private static RestartablePostgres server;
    private static TestDatabase db;

    @BeforeAll
    static void startServer() {
        server = RestartablePostgres.start();
        db = server.database("crashes");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void anActiveMigrationGoesOnAfterTheServerCrashed() {
        activeWithOldVersionWrites(db, MIGRATION);
        // a client of the new version is pinned to it, which is how the triggers tell its writes apart
        db.execute(
                "SET search_path = app_02_change",
                "INSERT INTO users (name, email, age, handle) VALUES ('new', 'n@x', 3, 'chosen')");

        server.crash();
        server.restart();

        // both versions work as before: the triggers and the views are catalog, recovered from the WAL
        db.execute("SET search_path = app_01_base", "INSERT INTO users (name, email, age) VALUES ('after', 'a@x', 4)");
        assertThat(db.queryValue("SELECT handle FROM app_02_change.users WHERE name = 'after'"))
                .isEqualTo("u" + db.queryValue("SELECT id FROM app_01_base.users WHERE name = 'after'"));
        assertThat(db.queryValue("SELECT age FROM app_01_base.users WHERE name = 'new'"))
                .isEqualTo("3");

        engine(db.dataSource()).complete();
        assertThat(db.queryValue("SELECT count(*) FROM app.users")).isEqualTo(Integer.toString(250 + 7 + 2));
        assertThat(db.queryValue("SELECT count(*) FROM app.users WHERE handle IS DISTINCT FROM 'u' || id"))
                .as("rows whose handle is not the backfilled one")
                .isEqualTo("1");
        assertThat(db.queryValue("SELECT handle FROM app.users WHERE name = 'new'"))
                .isEqualTo("chosen");
        assertThat(db.queryValue("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                        + " WHERE attrelid = 'app.users'::regclass AND attname = 'age'"))
                .isEqualTo("bigint");
    }

    @Test
    void aServerCrashInTheMiddleOfCompleteIsFinishedByRunningItAgain() {
        crashInTheMiddleAndRunAgain("complete", Pgroll::complete, null);
    }

    /**
     * A rollback cut short by the server's crash is finished by running it again once the server is back:
     * the catalog is the one before start, and every row written through the old version meanwhile is kept.
     */
    @Test
    void aServerCrashInTheMiddleOfRollbackIsFinishedByRunningItAgain() {
        reset(db);
        crashInTheMiddleAndRunAgain("rollback", Pgroll::rollback, fingerprint(db));
    }

    /**
     * Runs {@code command} on an active migration once uncrashed, then again with the server crashing a
     * third and two thirds through its committing steps, each time followed by a restart and the same
     * command: the catalog and the rows must be the uncrashed run's (and its catalog {@code expected}, where
     * given).
     */
    private static void crashInTheMiddleAndRunAgain(String name, Consumer<Pgroll> command, String expected) {
        activeWithOldVersionWrites(db, MIGRATION);
        CrashingDataSource recording = CrashingDataSource.recording(db.dataSource());
        command.accept(engine(recording));
        String catalog = fingerprint(db);
        if (expected != null) {
            assertThat(catalog).as("catalog after an uncrashed " + name).isEqualTo(expected);
        }
        List<String> rowsAfter = rows(db);
        List<Step> committing =
                recording.steps().stream().filter(Step::changesCommittedState).toList();

        for (Step step : List.of(committing.get(committing.size() / 3), committing.get(2 * committing.size() / 3))) {
            activeWithOldVersionWrites(db, MIGRATION);
            CrashingDataSource crashing =
                    CrashingDataSource.crashingAfter(db.dataSource(), step.number(), server::crash);
            assertThatThrownBy(() -> command.accept(engine(crashing))).isNotNull();
            assertThat(crashing.crashed()).isTrue();
            server.restart();

            Pgroll pgroll = engine(db.dataSource());
            assertThat(pgroll.status().state()).isEqualTo(Status.State.IN_PROGRESS);
            command.accept(pgroll);
            assertThat(fingerprint(db))
                    .as("catalog once %s ran again after a crash after step %d (%s)", name, step.number(), step.what())
                    .isEqualTo(catalog);
            assertThat(rows(db)).as("rows").isEqualTo(rowsAfter);
        }
    }

    /**
     * Backfill batches commit without waiting for their WAL flush; the record that start finished is a
     * synchronous commit, which flushes every batch's WAL before it, so a crash right after start
     * returned loses none of them.
     */
    @Test
    void aServerCrashRightAfterStartLosesNoBackfilledRow() {
        reset(db);
        db.execute(
                "INSERT INTO app.users (name, email, age) SELECT 'more ' || g, NULL, g FROM generate_series(1, 20000) g");
        engine(db.dataSource()).start(MIGRATION);
        server.crash();
        server.restart();

        assertThat(db.queryValue("SELECT count(*) FROM app_02_change.users WHERE handle IS DISTINCT FROM 'u' || id"))
                .as("rows whose backfilled value was lost")
                .isEqualTo("0");
        engine(db.dataSource()).complete();
        assertThat(db.queryValue("SELECT count(*) FROM app.users WHERE handle = 'u' || id"))
                .isEqualTo(Integer.toString(20250));
    }
}
