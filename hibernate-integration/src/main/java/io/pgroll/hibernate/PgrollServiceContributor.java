package io.pgroll.hibernate;

import java.util.Map;
import org.hibernate.boot.registry.StandardServiceInitiator;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.engine.jdbc.dialect.internal.DialectResolverInitiator;
import org.hibernate.engine.jdbc.dialect.spi.DialectResolver;
import org.hibernate.service.spi.ServiceContributor;
import org.hibernate.service.spi.ServiceRegistryImplementor;

/**
 * Found by Hibernate on the class path (META-INF/services): with this jar present, a pinned
 * connection gets {@link PgrollPostgreSQLDialect} without any setting.
 */
public final class PgrollServiceContributor implements ServiceContributor {
    @Override
    public void contribute(StandardServiceRegistryBuilder builder) {
        builder.addInitiator(new StandardServiceInitiator<DialectResolver>() {
            @Override
            public Class<DialectResolver> getServiceInitiated() {
                return DialectResolver.class;
            }

            @Override
            public DialectResolver initiateService(
                    Map<String, Object> configurationValues, ServiceRegistryImplementor registry) {
                return new PgrollDialectResolver(
                        DialectResolverInitiator.INSTANCE.initiateService(configurationValues, registry));
            }
        });
    }
}
