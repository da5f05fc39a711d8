package io.pgroll.spring;

import com.zaxxer.hikari.HikariDataSource;
import io.pgroll.jdbc.PgrollDriver;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Pins Boot's HikariCP DataSource to the newest version the build ships, leaving {@code
 * spring.datasource.url} as the user wrote it ({@code jdbc:postgresql:}): the pool's URL becomes the
 * {@code jdbc:pgroll:} one, its driver ours, with the version as a connection property. Runs after
 * Boot bound {@code spring.datasource.hikari.*}, before the pool opens a connection. A URL that is
 * {@code jdbc:pgroll:} already is the user's own pin, left alone.
 */
final class HikariPinning implements BeanPostProcessor {
    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";

    private final Supplier<Optional<String>> version;
    private final String schema;
    private final String stateSchema;

    HikariPinning(Supplier<Optional<String>> version, String schema, String stateSchema) {
        this.version = version;
        this.schema = schema;
        this.stateSchema = stateSchema;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool
                && pool.getJdbcUrl() != null
                && pool.getJdbcUrl().startsWith(POSTGRES_PREFIX)) {
            version.get().ifPresent(pinned -> {
                pool.setJdbcUrl("jdbc:pgroll:" + pool.getJdbcUrl().substring("jdbc:".length()));
                pool.setDriverClassName(PgrollDriver.class.getName());
                pool.addDataSourceProperty("pgrollVersion", pinned);
                pool.addDataSourceProperty("pgrollSchema", schema);
                pool.addDataSourceProperty("pgrollStateSchema", stateSchema);
            });
        }
        return bean;
    }
}
