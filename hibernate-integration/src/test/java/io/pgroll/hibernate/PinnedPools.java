package io.pgroll.hibernate;

import com.zaxxer.hikari.HikariDataSource;
import io.pgroll.testing.TestDatabase;

/** A small HikariCP pool of the {@code jdbc:pgroll:} driver, pinned to one version of a test database. */
final class PinnedPools {
    private PinnedPools() {}

    static HikariDataSource of(TestDatabase db, String version) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:pgroll:" + db.jdbcUrl().substring("jdbc:".length()) + "?pgrollVersion=" + version);
        pool.setUsername(db.user());
        pool.setPassword(db.password());
        pool.setMaximumPoolSize(2);
        return pool;
    }
}
