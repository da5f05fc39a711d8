package io.pgroll.spring;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code pgroll} Actuator endpoint, where Actuator is present and the endpoint is exposed. */
@AutoConfiguration(after = PgrollAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(PgrollMigrator.class)
public final class PgrollEndpointAutoConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(PgrollEndpoint.class)
    PgrollEndpoint pgrollEndpoint(PgrollMigrator migrator) {
        return new PgrollEndpoint(migrator);
    }
}
