package io.pgroll.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code pgroll} health indicator, where Boot's health support is present. */
@AutoConfiguration(after = PgrollAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(PgrollMigrator.class)
@ConditionalOnEnabledHealthIndicator("pgroll")
public final class PgrollHealthAutoConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "pgrollHealthIndicator")
    PgrollHealthIndicator pgrollHealthIndicator(PgrollMigrator migrator) {
        return new PgrollHealthIndicator(migrator);
    }
}
