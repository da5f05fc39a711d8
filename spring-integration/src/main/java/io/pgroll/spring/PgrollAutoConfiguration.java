package io.pgroll.spring;

import io.pgroll.engine.Pgroll;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;

/**
 * pgroll for a Spring Boot application, configured as Boot configures Flyway: the build's migrations
 * run at startup before JPA and JDBC users start ({@link PgrollMigrator}), Boot's DataSource is pinned
 * to the build's newest version; {@link PgrollEndpointAutoConfiguration} and {@link
 * PgrollHealthAutoConfiguration} report on it.
 */
@AutoConfiguration(
        after = DataSourceAutoConfiguration.class,
        beforeName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass(Pgroll.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "pgroll.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PgrollProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class PgrollAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PgrollMigrator pgrollMigrator(
            PgrollProperties properties,
            ResourceLoader resourceLoader,
            ObjectProvider<JdbcConnectionDetails> connectionDetails,
            ObjectProvider<DataSource> dataSource) {
        Pgroll pgroll = engine(properties, connectionDetails.getIfAvailable());
        BuildMigrations migrations = BuildMigrations.find(
                ResourcePatternUtils.getResourcePatternResolver(resourceLoader), properties.locations());
        return new PgrollMigrator(
                pgroll,
                migrations,
                properties.completePrevious(),
                properties.pinDataSource() ? dataSource.getIfUnique() : null);
    }

    private static Pgroll engine(PgrollProperties properties, JdbcConnectionDetails details) {
        Pgroll.Builder builder = Pgroll.configure()
                .schema(properties.schema())
                .stateSchema(properties.stateSchema())
                .lockTimeout(properties.lockTimeout())
                .lockRetryBudget(properties.lockRetryBudget())
                .acceptOutsideDdl(properties.acceptOutsideDdl())
                .role(properties.role())
                .backfillBatchTime(properties.backfillBatchTime())
                .backfillBatchDelay(properties.backfillBatchDelay())
                .listener(new LoggingListener());
        if (properties.backfillBatchSize() != null) {
            builder.backfillBatchSize(properties.backfillBatchSize());
        }
        if (properties.backfillMaxReplicaLag() != null) {
            builder.backfillMaxReplicaLag(properties.backfillMaxReplicaLag());
        }
        if (properties.backfillMaxReplicaLagBytes() != null) {
            builder.backfillMaxReplicaLagBytes(
                    properties.backfillMaxReplicaLagBytes().toBytes());
        }
        if (properties.url() != null) {
            return builder.url(MigratorUrl.of(properties.url()), properties.user(), properties.password())
                    .load();
        }
        if (details == null) {
            throw new IllegalStateException("pgroll has no database to migrate: set spring.datasource.url, or "
                    + "pgroll.url for the migrator's own connection");
        }
        boolean ownUser = properties.user() != null;
        return builder.url(
                        MigratorUrl.of(details.getJdbcUrl()),
                        ownUser ? properties.user() : details.getUsername(),
                        ownUser ? properties.password() : details.getPassword())
                .load();
    }

    // The outer class's conditions do not reach a member class, so they are repeated here.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "pgroll.enabled", matchIfMissing = true)
    @ConditionalOnBooleanProperty(name = "pgroll.pin-data-source", matchIfMissing = true)
    static class DataSourcePinningConfiguration {
        // static: a BeanPostProcessor must exist before the beans it processes, the DataSource among them
        @Bean
        static DataSourcePinning pgrollDataSourcePinning(Environment environment, ResourceLoader resourceLoader) {
            PgrollProperties properties =
                    Binder.get(environment).bindOrCreate("pgroll", Bindable.of(PgrollProperties.class));
            return new DataSourcePinning(
                    () -> newest(properties, resourceLoader), properties.schema(), properties.stateSchema());
        }

        private static Optional<String> newest(PgrollProperties properties, ResourceLoader resourceLoader) {
            return BuildMigrations.find(
                            ResourcePatternUtils.getResourcePatternResolver(resourceLoader), properties.locations())
                    .newest();
        }
    }
}
