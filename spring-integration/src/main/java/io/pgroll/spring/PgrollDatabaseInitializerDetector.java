package io.pgroll.spring;

import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

/** Makes JPA's EntityManagerFactory, JdbcTemplate and the like wait for {@link PgrollMigrator}, as they wait for Flyway. */
class PgrollDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {
    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(PgrollMigrator.class);
    }
}
