package io.pgroll.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.load.LoadHarness.Options;
import io.pgroll.load.LoadHarness.Run;
import io.pgroll.load.LoadHarness.Server;
import io.pgroll.load.LoadHarness.Tool;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's figures can be trusted only if it sees what goes wrong: a statement that fails is
 * counted in its second, a lock held on purpose shows as a stall and as lock waiters, and a whole run
 * reports its phases.
 */
@ExtendWith(PostgresExtension.class)
class LoadHarnessTest {
    private static final long ROWS = 2_000;

    @Test
    void aStatementThatFailsIsCountedInItsSecond(TestDatabase db) throws Exception {
        Server server = server(db);
        prepare(db);
        Recorder recorder = new Recorder();
        recorder.phase("before");
        Clients.Group clients = new Clients(recorder, ROWS, 100)
                .start("c", 2, server.plain(db.name()), scenario().before());
        try {
            TimeUnit.MILLISECONDS.sleep(1500);
            recorder.phase("broken");
            db.execute("ALTER TABLE accounts RENAME COLUMN amount TO renamed");
            TimeUnit.MILLISECONDS.sleep(1500);
            db.execute("ALTER TABLE accounts RENAME COLUMN renamed TO amount");
            recorder.phase("repaired");
            TimeUnit.MILLISECONDS.sleep(1500);
        } finally {
            clients.stop();
        }
        List<Report.PhaseFigures> phases = Report.phases(new Run(scenario(), Tool.BLOCKING, recorder, ROWS));
        assertThat(phases).extracting(Report.PhaseFigures::phase).containsExactly("before", "broken", "repaired");
        assertThat(phases.get(0).failed()).isZero();
        assertThat(phases.get(1).failed()).isGreaterThan(phases.get(1).statements() / 2);
        assertThat(recorder.firstFailures()).first().asString().contains("42703");
        assertThat(phases.get(0).statements()).isGreaterThan(150);
    }

    @Test
    void aLockHeldOnPurposeShowsAsAStallAndAsLockWaiters(TestDatabase db) throws Exception {
        Server server = server(db);
        prepare(db);
        Recorder recorder = new Recorder();
        recorder.phase("before");
        LoadHarness.LockSampler sampler = new LoadHarness.LockSampler(server, db.name(), recorder);
        Clients.Group clients = new Clients(recorder, ROWS, 100)
                .start("c", 2, server.plain(db.name()), scenario().before());
        try (Connection holder = db.connect();
                Statement st = holder.createStatement()) {
            TimeUnit.MILLISECONDS.sleep(1000);
            recorder.phase("locked");
            holder.setAutoCommit(false);
            st.execute("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE");
            TimeUnit.MILLISECONDS.sleep(1500);
            holder.commit();
            recorder.phase("released");
            TimeUnit.MILLISECONDS.sleep(1000);
        } finally {
            clients.stop();
            sampler.stop();
        }
        List<Report.PhaseFigures> phases = Report.phases(new Run(scenario(), Tool.BLOCKING, recorder, ROWS));
        assertThat(phases.get(0).max()).isLessThan(1000);
        double longest =
                phases.stream().mapToDouble(Report.PhaseFigures::max).max().orElseThrow();
        assertThat(longest).as("the longest stall, ms").isGreaterThan(1300);
        assertThat(phases.stream()
                        .mapToInt(Report.PhaseFigures::lockWaiters)
                        .max()
                        .orElseThrow())
                .isGreaterThanOrEqualTo(1);
        assertThat(phases.stream().mapToLong(Report.PhaseFigures::failed).sum()).isZero();
    }

    @Test
    void aRunOfEachToolReportsItsPhasesAndWritesTheCsvAndTheChart(TestDatabase db, @TempDir Path out) throws Exception {
        Server server = server(db);
        Options options = Options.parse(
                "--rows",
                "2000",
                "--clients",
                "4",
                "--rate",
                "50",
                "--phase-seconds",
                "2",
                "--scenario",
                "add-not-null");
        Run pgroll = LoadHarness.run(server, scenario(), Tool.PGROLL, options);
        Run rolledBack = LoadHarness.run(server, scenario(), Tool.PGROLL_ROLLBACK, options);
        Run blocking = LoadHarness.run(server, scenario(), Tool.BLOCKING, options);

        assertThat(Report.phases(pgroll))
                .extracting(Report.PhaseFigures::phase)
                .containsExactly("before", "start", "both versions", "complete", "after");
        assertThat(Report.phases(pgroll))
                .allSatisfy(f -> assertThat(f.failed()).as(f.phase()).isZero());
        assertThat(Report.phases(rolledBack))
                .extracting(Report.PhaseFigures::phase)
                .containsExactly("before", "start", "both versions", "rollback", "after");
        assertThat(Report.phases(rolledBack))
                .allSatisfy(f -> assertThat(f.failed()).as(f.phase()).isZero());
        // the blocking run's change was made by Flyway itself
        List<String> applied = new ArrayList<>();
        try (Connection c = server.connect("load_add_not_null_blocking");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT script || ' ' || success FROM flyway_schema_history ORDER BY installed_rank")) {
            while (rs.next()) {
                applied.add(rs.getString(1));
            }
        }
        assertThat(applied).containsExactly("V1__base.sql true", "V2__add_not_null.sql true");
        assertThat(Report.phases(blocking))
                .extracting(Report.PhaseFigures::phase)
                .containsExactly("before", "migrate", "both versions", "after");
        Report report = new Report(List.of(pgroll, blocking));
        assertThat(report.summary()).contains("add-not-null, pgroll", "both versions", "p99/before");
        report.write(out);
        assertThat(Files.readAllLines(out.resolve(Report.CSV)))
                .first()
                .isEqualTo("scenario,tool,second,phase,statements,p50_ms,p99_ms,max_ms,failed,lock_waiters");
        assertThat(Files.readAllLines(out.resolve(Report.CSV))).anyMatch(l -> l.startsWith("add-not-null,pgroll,"));
        assertThat(Files.readString(out.resolve(Report.SVG))).startsWith("<svg").contains("both versions", "polyline");
    }

    private static Scenario scenario() {
        return Scenario.named("add-not-null");
    }

    /** A server given by URL: its credentials before the host, or as pgJDBC's own parameters. */
    @Test
    void aServerUrlGivesItsCredentialsEitherWay() throws Exception {
        try (Server server = Server.of("jdbc:postgresql://alice:s3cret@db.example:6543/ignored")) {
            assertThat(server.user()).isEqualTo("alice");
            assertThat(server.password()).isEqualTo("s3cret");
            assertThat(server.jdbcUrl("load")).isEqualTo("jdbc:postgresql://db.example:6543/load");
        }
        try (Server server = Server.of("jdbc:postgresql://db.example/ignored?user=bob&password=p%26w&ssl=false")) {
            assertThat(server.user()).isEqualTo("bob");
            assertThat(server.password()).isEqualTo("p&w");
            assertThat(server.jdbcUrl("load")).isEqualTo("jdbc:postgresql://db.example:5432/load");
        }
    }

    private static Server server(TestDatabase db) {
        return Server.at(db.host(), db.port(), db.user(), db.password());
    }

    private static void prepare(TestDatabase db) {
        db.execute("DROP TABLE IF EXISTS accounts, amounts");
        Scenario.BASE_SQL.forEach(db::execute);
        Scenario.fill(ROWS).forEach(db::execute);
        db.execute("ANALYZE accounts");
    }
}
