package io.pgroll.examples.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.TestDatabase;
import io.pgroll.testing.TestPostgres;
import org.junit.jupiter.api.Test;

class HibernateUpgradeTest {
    @Test
    void bothEntityModelsValidateAndReadWhatTheOtherWrote() {
        TestDatabase db = TestPostgres.createDatabase("example_hibernate");
        assertThat(HibernateUpgrade.run(db.jdbcUrl(), db.user(), db.password()))
                .containsExactly(
                        "version 1 reads: [Dune, The Dispossessed]",
                        "version 2 reads: [Dune by unknown, The Dispossessed by Le Guin]",
                        "completed; versions live: [03_headline_author]");
    }
}
