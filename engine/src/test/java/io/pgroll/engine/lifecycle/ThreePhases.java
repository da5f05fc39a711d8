package io.pgroll.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * One migration through the three phases over a table {@code items} of 50 rows, made by migration
 * {@code 01_create}: start (both versions checked), rollback (catalog and rows as before), start
 * again and complete (final shape checked, nothing temporary left).
 */
final class ThreePhases {
    private static final String CREATE =
            """
            operations:
              - create_table:
                  name: items
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: name, type: text, nullable: true}
                    - {name: price, type: int, check: {name: price_positive, constraint: price > 0}}
            """;

    static MigrationHarness prepared(TestDatabase db) {
        MigrationHarness h = MigrationHarness.create(db);
        h.startAndComplete("01_create", CREATE);
        h.sql("INSERT INTO items (name, price) SELECT 'n' || g, g FROM generate_series(1, 50) g");
        return h;
    }

    /** Starts, checks, rolls back (catalog and rows as before), starts again and completes. */
    static void run(MigrationHarness h, String name, String yaml, Check afterStart, Check afterComplete)
            throws SQLException {
        String before = h.fingerprint();
        List<List<String>> rowsBefore = h.db().query("SELECT * FROM " + h.schema() + ".items ORDER BY id");
        h.start(name, yaml);
        try (Connection old = h.version("01_create");
                Connection next = h.version(name)) {
            afterStart.check(old, next);
        }
        h.pgroll().rollback();
        assertThat(h.fingerprint()).as("catalog after rollback").isEqualTo(before);
        assertThat(h.db().query("SELECT * FROM " + h.schema() + ".items WHERE id <= 50 ORDER BY id"))
                .as("rows after rollback")
                .isEqualTo(rowsBefore);
        h.start(name, yaml);
        h.pgroll().complete();
        h.assertNoTemporaryObjects();
        try (Connection next = h.version(name)) {
            afterComplete.check(null, next);
        }
    }

    @FunctionalInterface
    interface Check {
        void check(Connection old, Connection next) throws SQLException;
    }

    private ThreePhases() {}
}
