package io.pgroll.jdbc;

import static io.pgroll.testing.Rows.exec;
import static io.pgroll.testing.Rows.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link PgrollDataSource} under a real HikariCP pool, and as a plain bean. */
@ExtendWith(PostgresExtension.class)
class HikariPoolTest {

    private static HikariConfig config(Fixture f, String version) {
        HikariConfig config = new HikariConfig();
        config.setDataSourceClassName(PgrollDataSource.class.getName());
        Properties props = new Properties();
        props.setProperty("url", f.db.jdbcUrl() + "?ApplicationName=pool-" + f.schema);
        props.setProperty("pgrollVersion", version);
        props.setProperty("pgrollSchema", f.schema);
        config.setDataSourceProperties(props);
        config.setUsername(f.db.user());
        config.setPassword(f.db.password());
        config.setMaximumPoolSize(3);
        config.setConnectionTimeout(1000);
        return config;
    }

    @Test
    void aPoolWithDataSourceClassNameAndASchemaSettingStaysPinned(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "pooled");
        HikariConfig config = config(f, "01_create");
        // HikariCP calls Connection.setSchema with this on every new connection: it must not move the pin
        config.setSchema("pooled");
        try (HikariDataSource pool = new HikariDataSource(config)) {
            try (Connection c = pool.getConnection()) {
                assertThat(value(c, "SHOW search_path")).isEqualTo("pooled_01_create");
                assertThat(c.getSchema()).isEqualTo("pooled_01_create");
                exec(c, "INSERT INTO users (name) VALUES ('from the pool')");
                assertThat(value(c, "SHOW application_name")).isEqualTo("pool-pooled");
            }
            // the same physical connection, returned and borrowed again (HikariCP resets the schema then)
            try (Connection c = pool.getConnection()) {
                assertThat(value(c, "SHOW search_path")).isEqualTo("pooled_01_create");
            }
        }
        try (Connection current = f.connect("pgrollVersion=02_add_rating")) {
            assertThat(value(current, "SELECT rating FROM users")).isEqualTo("13");
        }
    }

    @Test
    void aPoolWithAJdbcPgrollUrlFindsTheDriverThroughDriverManager(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "byurl");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(f.url("pgrollVersion=latest"));
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config);
                Connection c = pool.getConnection()) {
            assertThat(value(c, "SHOW search_path")).isEqualTo("byurl_02_add_rating");
        }
    }

    /**
     * A pool of the old version outliving {@code complete}: by pgroll's contract the old application is
     * gone before {@code complete}; if it is not, its connections keep their pin, so every query fails
     * with "relation does not exist" (42P01, which HikariCP does not take for a broken connection) rather
     * than reading the physical tables, and each new connection fails at once with the driver's message.
     */
    @Test
    void aPoolOutlivingCompleteFailsClearlyAndNeverFallsThrough(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "outlive");
        HikariConfig config = config(f, "01_create");
        config.setMinimumIdle(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            try (Connection c = pool.getConnection()) {
                assertThat(value(c, "SELECT count(*) FROM users")).isEqualTo("0");
            }
            f.pgroll.complete();
            try (Connection c = pool.getConnection()) {
                assertThat(value(c, "SHOW search_path")).isEqualTo("outlive_01_create");
                assertThatThrownBy(() -> value(c, "SELECT count(*) FROM users"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e ->
                                assertThat(((SQLException) e).getSQLState()).isEqualTo("42P01"));
            }
            pool.getHikariPoolMXBean().softEvictConnections();
            assertThatThrownBy(pool::getConnection)
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .cause()
                    .hasMessageContaining(
                            "pgrollVersion=01_create: version schema \"outlive_01_create\" no longer exists")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("3F000"));
        }
    }

    @Test
    void aPoolOnLatestKeepsWorkingAcrossComplete(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "keeps");
        try (HikariDataSource pool = new HikariDataSource(config(f, "latest"))) {
            try (Connection c = pool.getConnection()) {
                exec(c, "INSERT INTO users (name, rating) VALUES ('a', 1)");
            }
            f.pgroll.complete();
            pool.getHikariPoolMXBean().softEvictConnections();
            try (Connection c = pool.getConnection()) {
                assertThat(value(c, "SHOW search_path")).isEqualTo("keeps_02_add_rating");
                assertThat(value(c, "SELECT rating FROM users")).isEqualTo("1");
            }
        }
    }

    @Test
    void theDataSourceIsAPlainBeanToo(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "bean");
        PgrollDataSource ds = new PgrollDataSource();
        ds.setUrl(f.url(""));
        ds.setUser(db.user());
        ds.setPassword(db.password());
        ds.setPgrollVersion("01_create");
        ds.setPgrollPinMode("statement");
        ds.setLoginTimeout(5);
        try (Connection c = ds.getConnection()) {
            assertThat(value(c, "SHOW search_path")).isEqualTo("bean_01_create");
        }
        ds.setPgrollVersion("nope");
        assertThatThrownBy(ds::getConnection)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("pgrollVersion=nope");
        ds.setUrl(null);
        assertThatThrownBy(ds::getConnection).hasMessageContaining("PgrollDataSource has no url");
        ds.setUrl("jdbc:mysql://h/db");
        assertThatThrownBy(ds::getConnection)
                .hasMessageContaining("url must start with jdbc:pgroll: or jdbc:postgresql:");
        assertThat(ds.isWrapperFor(PgrollDataSource.class)).isTrue();
    }
}
