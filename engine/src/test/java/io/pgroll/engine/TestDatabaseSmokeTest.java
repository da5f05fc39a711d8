package io.pgroll.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class TestDatabaseSmokeTest {
    @Test
    void eachClassGetsItsOwnDatabase(TestDatabase db) {
        assertThat(db.queryValue("SELECT current_database()")).isEqualTo(db.name());
        assertThat(db.queryValue("SHOW server_version_num")).startsWith(System.getProperty("pg.version", "17"));
    }
}
