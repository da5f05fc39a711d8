package io.pgroll.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.testing.TestDatabase;
import io.pgroll.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import org.hibernate.SessionFactory;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.Test;

/**
 * The generator's migration, written from the next entity model against the current version, read by
 * the engine, started and completed once its placeholder is filled in; the model then validates
 * against the new version, and the generator finds nothing more to do.
 */
class MigrationGeneratorTest {

    private static MetadataSources nextModel(HikariDataSource pool, String hbm2ddl) {
        return new MetadataSources(new StandardServiceRegistryBuilder()
                        .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, pool)
                        .applySetting(AvailableSettings.HBM2DDL_AUTO, hbm2ddl)
                        .build())
                .addAnnotatedClass(OwnerWithEmail.class)
                .addAnnotatedClass(NamelessPet.class)
                .addAnnotatedClass(Visit.class);
    }

    private static String generate(HikariDataSource pool) throws SQLException {
        Metadata metadata = nextModel(pool, "none").buildMetadata();
        try (Connection c = pool.getConnection()) {
            return MigrationGenerator.generate(metadata, c);
        }
    }

    @Test
    void writesTheMigrationFromTheCurrentVersionToTheEntityModel() throws SQLException {
        TestDatabase db = TestPostgres.createDatabase("hibernate_generator");
        Pgroll pgroll = Pgroll.configure().dataSource(db.dataSource()).load();
        pgroll.init();
        PinnedPools.createOwnersAndPets(pgroll, "full_name");

        String yaml;
        try (HikariDataSource pool = PinnedPools.of(db, "02_sequence")) {
            yaml = generate(pool);
        }
        assertThat(yaml)
                .contains("  - sql:\n      up: \"CREATE SEQUENCE visits_seq START WITH 1 INCREMENT BY 1\"\n"
                        + "      down: \"DROP SEQUENCE visits_seq\"\n")
                .contains("  - add_column:\n      table: \"owners\"\n      up: \"" + MigrationGenerator.PLACEHOLDER
                        + "\"\n      column:\n        name: \"email\"\n        type: \"varchar(255)\"\n"
                        + "        nullable: false\n")
                .contains("  - drop_column:\n      table: \"pets\"\n      column: \"name\"\n")
                .contains("  - create_table:\n      name: \"visits\"\n")
                .doesNotContain("full_name");

        pgroll.start(
                MigrationReader.read(
                        yaml.replace(MigrationGenerator.PLACEHOLDER, "'unknown@example.com'"), "03_generated", null),
                false);
        try (HikariDataSource pool = PinnedPools.of(db, "03_generated");
                SessionFactory factory =
                        nextModel(pool, "validate").buildMetadata().buildSessionFactory()) {
            factory.inTransaction(session -> {
                session.persist(new OwnerWithEmail("Ada", "ada@example.com"));
                session.persist(new Visit("check-up"));
            });
            assertThat(generate(pool)).endsWith("operations: []\n");
        }
        pgroll.complete();
    }
}
