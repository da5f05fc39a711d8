package io.pgroll.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.testing.TestDatabase;
import io.pgroll.testing.TestPostgres;
import java.util.List;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hibernate on a pool pinned to a version schema whose migration is in progress: the entity model
 * validates against the views, SEQUENCE and IDENTITY ids work, native queries see the version's names.
 */
class PinnedHibernateTest {
    private static TestDatabase db;
    private static HikariDataSource pinned;

    @BeforeAll
    static void migrate() {
        db = TestPostgres.createDatabase("hibernate");
        Pgroll pgroll = Pgroll.configure().dataSource(db.dataSource()).load();
        pgroll.init();
        PinnedPools.createOwnersAndPets(pgroll, "name");
        pgroll.start(
                MigrationReader.read(
                        "operations:\n  - rename_column: {table: owners, from: name, to: full_name}\n",
                        "03_full_name",
                        null),
                false);
        pinned = PinnedPools.of(db, "03_full_name");
    }

    @AfterAll
    static void close() {
        pinned.close();
    }

    private static SessionFactory sessionFactory(Map<String, Object> settings) {
        StandardServiceRegistryBuilder builder = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, pinned)
                .applySetting(AvailableSettings.HBM2DDL_AUTO, "validate");
        settings.forEach(builder::applySetting);
        StandardServiceRegistry registry = builder.build();
        return new MetadataSources(registry)
                .addAnnotatedClass(Owner.class)
                .addAnnotatedClass(Pet.class)
                .buildMetadata()
                .buildSessionFactory();
    }

    @Test
    void validatesAgainstTheViewsAndGeneratesIdsFromSequencesAndIdentityColumns() {
        try (SessionFactory factory = sessionFactory(Map.of())) {
            assertThat(factory.unwrap(SessionFactoryImplementor.class)
                            .getJdbcServices()
                            .getDialect())
                    .isInstanceOf(PgrollPostgreSQLDialect.class);
            factory.inTransaction(session -> {
                session.persist(new Owner("Ada Lovelace"));
                session.persist(new Owner("Alan Turing"));
                session.persist(new Pet("Rex"));
            });
            List<Owner> owners =
                    factory.fromSession(session -> session.createSelectionQuery("from Owner order by id", Owner.class)
                            .getResultList());
            assertThat(owners).extracting(Owner::getFullName).containsExactly("Ada Lovelace", "Alan Turing");
            assertThat(owners.get(1).getId()).isEqualTo(owners.get(0).getId() + 1);
            Pet pet = factory.fromSession(session ->
                    session.createSelectionQuery("from Pet", Pet.class).getSingleResult());
            assertThat(pet.getId()).isNotNull();
            // a native query resolves through the version schema: the column has the version's name
            List<String> names = factory.fromSession(
                    session -> session.createNativeQuery("SELECT full_name FROM owners ORDER BY id", String.class)
                            .getResultList());
            assertThat(names).containsExactly("Ada Lovelace", "Alan Turing");
        }
        // the rows are in the migrated schema's table, under its physical column name until complete
        assertThat(db.query("SELECT name FROM public.owners ORDER BY id"))
                .containsExactly(List.of("Ada Lovelace"), List.of("Alan Turing"));
    }

    @Test
    void postgresOwnDialectCannotReachTheSequenceFromAPinnedConnection() {
        try (SessionFactory factory =
                sessionFactory(Map.of(AvailableSettings.DIALECT, "org.hibernate.dialect.PostgreSQLDialect"))) {
            assertThatThrownBy(() -> factory.inTransaction(session -> session.persist(new Owner("Grace Hopper"))))
                    .hasStackTraceContaining("relation \"owners_seq\" does not exist");
        }
    }
}
