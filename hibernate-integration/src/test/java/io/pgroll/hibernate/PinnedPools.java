package io.pgroll.hibernate;

import com.zaxxer.hikari.HikariDataSource;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.testing.TestDatabase;

/**
 * The tests' database: tables {@code owners} and {@code pets} with a sequence for owners' ids (migrations
 * {@code 01_create} and {@code 02_sequence}, completed), and small pools pinned to one version of it.
 */
final class PinnedPools {
    private PinnedPools() {}

    static void createOwnersAndPets(Pgroll pgroll, String ownerNameColumn) {
        pgroll.start(
                MigrationReader.read(
                        """
                        operations:
                          - create_table:
                              name: owners
                              columns:
                                - {name: id, type: bigint, pk: true}
                                - {name: %s, type: varchar(255), nullable: true}
                          - create_table:
                              name: pets
                              columns:
                                - {name: id, type: serial, pk: true}
                                - {name: name, type: varchar(255), nullable: true}
                        """
                                .formatted(ownerNameColumn),
                        "01_create",
                        null),
                true);
        pgroll.start(
                MigrationReader.read(
                        "operations:\n  - sql: {up: CREATE SEQUENCE owners_seq, down: DROP SEQUENCE owners_seq}\n",
                        "02_sequence",
                        null),
                true);
    }

    static HikariDataSource of(TestDatabase db, String version) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:pgroll:" + db.jdbcUrl().substring("jdbc:".length()) + "?pgrollVersion=" + version);
        pool.setUsername(db.user());
        pool.setPassword(db.password());
        pool.setMaximumPoolSize(2);
        return pool;
    }
}
