package io.pgroll.hibernate;

import org.hibernate.dialect.Dialect;
import org.hibernate.engine.jdbc.dialect.spi.DialectResolutionInfo;
import org.hibernate.engine.jdbc.dialect.spi.DialectResolver;

/** Resolves {@link PgrollPostgreSQLDialect} for a pinned connection, and asks Hibernate's own resolvers otherwise. */
final class PgrollDialectResolver implements DialectResolver {
    private static final long serialVersionUID = 1L;

    private final DialectResolver standard;

    PgrollDialectResolver(DialectResolver standard) {
        this.standard = standard;
    }

    @Override
    public Dialect resolveDialect(DialectResolutionInfo info) {
        return PgrollPostgreSQLDialect.pinnedSchema(info.getDatabaseMetadata()) != null
                ? new PgrollPostgreSQLDialect(info)
                : standard.resolveDialect(info);
    }
}
