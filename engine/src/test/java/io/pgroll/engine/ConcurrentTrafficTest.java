package io.pgroll.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Applications keep writing through both versions while start, rollback and complete run, and not one
 * of their statements fails. Each version's writers stop only before the step that removes their
 * version by design: the new version's before rollback, the old version's before complete. The old
 * version here uses the tables directly, as a first release does.
 */
@ExtendWith(PostgresExtension.class)
class ConcurrentTrafficTest {
    private static final String MIGRATION =
            """
            operations:
              - alter_column:
                  table: accounts
                  column: balance
                  type: bigint
                  up: balance
                  down: CAST(LEAST(balance, 2147483647) AS integer)
              - add_column:
                  table: accounts
                  up: "'owner-' || id"
                  column: {name: owner, type: text, nullable: false}
            """;

    /** A thread that inserts and updates through one version until stopped, counting what it did. */
    private static final class Writer extends Thread {
        private final MigrationHarness h;
        private final String searchPath;
        private final boolean newVersion;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong inserted = new AtomicLong();
        final AtomicLong updated = new AtomicLong();
        final List<String> failures = new ArrayList<>();

        Writer(MigrationHarness h, String searchPath, boolean newVersion) {
            this.h = h;
            this.searchPath = searchPath;
            this.newVersion = newVersion;
        }

        @Override
        public void run() {
            try (Connection c = h.pinned(searchPath);
                    PreparedStatement insert = c.prepareStatement(
                            newVersion
                                    ? "INSERT INTO accounts (balance, owner) VALUES (?, 'writer')"
                                    : "INSERT INTO accounts (balance) VALUES (?)");
                    PreparedStatement update =
                            c.prepareStatement("UPDATE accounts SET balance = balance + 1 WHERE id = ?")) {
                while (running.get()) {
                    try {
                        insert.setInt(1, ThreadLocalRandom.current().nextInt(1000));
                        insert.executeUpdate();
                        inserted.incrementAndGet();
                        update.setInt(1, ThreadLocalRandom.current().nextInt(1, 3000));
                        updated.addAndGet(update.executeUpdate());
                    } catch (SQLException e) {
                        failures.add(e.getSQLState() + " " + e.getMessage());
                    }
                }
            } catch (SQLException e) {
                failures.add("connect: " + e.getMessage());
            }
        }

        void finish() throws InterruptedException {
            running.set(false);
            join();
        }
    }

    @Test
    void noWriteFailsDuringStartRollbackAndComplete(TestDatabase db) throws Exception {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete(
                "01_accounts",
                "operations:\n  - create_table: {name: accounts, columns: [{name: id, type: serial, pk: true}, "
                        + "{name: balance, type: int}]}\n");
        h.sql("INSERT INTO accounts (balance) SELECT g FROM generate_series(1, 3000) g");
        List<Writer> all = new ArrayList<>();
        List<Writer> oldWriters = List.of(new Writer(h, h.schema(), false), new Writer(h, h.schema(), false));
        oldWriters.forEach(Thread::start);
        all.addAll(oldWriters);

        h.start("02_accounts", MIGRATION);
        List<Writer> newWriters = List.of(new Writer(h, h.schema() + "_02_accounts", true));
        newWriters.forEach(Thread::start);
        all.addAll(newWriters);
        Thread.sleep(500);
        for (Writer w : newWriters) {
            w.finish();
        }
        h.pgroll().rollback();
        Thread.sleep(300);

        h.start("02_accounts", MIGRATION);
        List<Writer> newWriters2 = List.of(new Writer(h, h.schema() + "_02_accounts", true));
        newWriters2.forEach(Thread::start);
        all.addAll(newWriters2);
        Thread.sleep(500);
        // complete removes the old version: its writers (which know nothing of `owner`) stop first
        for (Writer w : oldWriters) {
            w.finish();
        }
        h.pgroll().complete();
        Thread.sleep(300);
        for (Writer w : all) {
            w.finish();
        }

        List<String> failures = all.stream().flatMap(w -> w.failures.stream()).toList();
        assertThat(failures).as("failed application statements").isEmpty();
        long inserted = all.stream().mapToLong(w -> w.inserted.get()).sum();
        assertThat(all).allSatisfy(w -> assertThat(w.inserted.get()).isPositive());
        assertThat(Long.parseLong(db.queryValue("SELECT count(*) FROM " + h.schema() + ".accounts")))
                .isEqualTo(3000 + inserted);
        assertThat(db.queryValue("SELECT count(*) FROM " + h.schema() + ".accounts WHERE owner IS NULL"))
                .isEqualTo("0");
        h.assertNoTemporaryObjects();
    }
}
