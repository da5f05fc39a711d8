package io.pgroll.examples.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.TestDatabase;
import io.pgroll.testing.TestPostgres;
import org.junit.jupiter.api.Test;

class HikariExampleTest {
    @Test
    void bothPoolsReadWhatTheOtherWroteAndTheRetiredOneIsRefused() throws Exception {
        TestDatabase db = TestPostgres.createDatabase("example_jdbc");
        assertThat(HikariExample.run(db.jdbcUrl(), db.user(), db.password()))
                .containsExactly(
                        "02_headline_author started; versions live: [02_headline_author, 01_books]",
                        "version 1 reads: [Dune, The Dispossessed]",
                        "version 2 reads: [Dune by unknown, The Dispossessed by Le Guin]",
                        "02_headline_author completed; versions live: [02_headline_author]",
                        "version 1 is refused: pgrollVersion=01_books: version schema \"public_01_books\" no longer"
                                + " exists: it was dropped when a later migration completed; the version that exists"
                                + " is public_02_headline_author (latest). Deploy the application build that matches a"
                                + " version that exists, or pin to one of them. The connection was closed before any"
                                + " query could reach the tables.");
    }
}
