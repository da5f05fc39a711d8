package io.pgroll.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.model.AddColumn;
import io.pgroll.engine.model.AlterColumn;
import io.pgroll.engine.model.Column;
import io.pgroll.engine.model.CreateTable;
import io.pgroll.engine.model.DropColumn;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.engine.model.Operation;
import io.pgroll.engine.model.RawSql;
import io.pgroll.engine.model.RenameColumn;
import io.pgroll.testing.TestDatabase;
import io.pgroll.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.Test;

/**
 * The generator's migration, written from the next entity model against the current version, read back
 * by the engine, started and completed once its placeholders are filled in; the model then validates
 * against the new version, and the generator finds nothing more to do.
 */
class MigrationGeneratorTest {

    private static MetadataSources model(HikariDataSource pool, String hbm2ddl, Class<?>... entities) {
        MetadataSources sources = new MetadataSources(new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, pool)
                .applySetting(AvailableSettings.HBM2DDL_AUTO, hbm2ddl)
                .build());
        for (Class<?> entity : entities) {
            sources.addAnnotatedClass(entity);
        }
        return sources;
    }

    private static MigrationGenerator.Generated compare(HikariDataSource pool, Class<?>... entities)
            throws SQLException {
        Metadata metadata = model(pool, "none", entities).buildMetadata();
        try (Connection c = pool.getConnection()) {
            return MigrationGenerator.compare(metadata, c);
        }
    }

    private static Pgroll ownersAndPets(TestDatabase db) {
        Pgroll pgroll = Pgroll.configure().dataSource(db.dataSource()).load();
        pgroll.init();
        PinnedPools.createOwnersAndPets(pgroll, "full_name");
        return pgroll;
    }

    @Test
    void writesTheMigrationFromTheCurrentVersionToTheEntityModel() throws SQLException {
        TestDatabase db = TestPostgres.createDatabase("hibernate_generator");
        Pgroll pgroll = ownersAndPets(db);
        Class<?>[] next = {OwnerWithEmail.class, NamelessPet.class, Visit.class};

        String yaml;
        try (HikariDataSource pool = PinnedPools.of(db, "02_sequence")) {
            yaml = compare(pool, next).yaml();
        }
        Migration generated = MigrationReader.read(yaml, "03_generated", null);
        assertThat(generated.operations())
                .contains(
                        new RawSql(
                                "CREATE SEQUENCE \"visits_seq\" START WITH 1 INCREMENT BY 1",
                                "DROP SEQUENCE \"visits_seq\"",
                                false),
                        new AddColumn(
                                "owners",
                                new Column("email", "varchar(255)", false, false, false, null, null, null, null, null),
                                MigrationGenerator.PLACEHOLDER),
                        new DropColumn("pets", "name", null))
                .anySatisfy(op -> assertThat(op).isInstanceOfSatisfying(CreateTable.class, t -> assertThat(t.name())
                        .isEqualTo("visits")));
        assertThat(yaml).doesNotContain("full_name");

        pgroll.start(
                MigrationReader.read(
                        yaml.replace(MigrationGenerator.PLACEHOLDER, "'unknown@example.com'"), "03_generated", null),
                false);
        try (HikariDataSource pool = PinnedPools.of(db, "03_generated");
                SessionFactory factory =
                        model(pool, "validate", next).buildMetadata().buildSessionFactory()) {
            factory.inTransaction(session -> {
                session.persist(new OwnerWithEmail("Ada", "ada@example.com"));
                session.persist(new Visit("check-up"));
            });
            assertThat(compare(pool, next).operations()).isEmpty();
        }
        pgroll.complete();
    }

    /**
     * A type change (and NOT NULL) gets casts both ways, the NULLs of the old version a placeholder; a
     * renamed property shows as a drop and an add of one type, which the notes point out. Written as the
     * note says, with a rename_column, the values survive; both versions read each other's writes.
     */
    @Test
    @SuppressWarnings("NullOptional") // an alter_column's default and comment: null leaves them as they are
    void castsAChangedTypeAndPointsOutAPropertyThatMayHaveBeenRenamed() throws SQLException {
        TestDatabase db = TestPostgres.createDatabase("hibernate_generator_types");
        Pgroll pgroll = ownersAndPets(db);
        Class<?>[] next = {OwnerRetyped.class, RenamedPet.class};
        try (HikariDataSource old = PinnedPools.of(db, "02_sequence")) {
            execute(
                    old,
                    "INSERT INTO owners VALUES (101, 'Ada'), (102, NULL)",
                    "INSERT INTO pets (name) VALUES ('Rex')");

            MigrationGenerator.Generated generated = compare(old, next);
            assertThat(generated.operations())
                    .containsExactly(
                            new AlterColumn(
                                    "owners",
                                    "full_name",
                                    "text",
                                    false,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    MigrationGenerator.PLACEHOLDER,
                                    "CAST(\"full_name\" AS character varying(255))"),
                            new AddColumn(
                                    "pets",
                                    new Column(
                                            "nickname",
                                            "varchar(255)",
                                            false,
                                            true,
                                            false,
                                            null,
                                            null,
                                            null,
                                            null,
                                            null),
                                    null),
                            new DropColumn("pets", "name", null));
            assertThat(generated.notes())
                    .containsExactly(
                            "owners.full_name changes type from character varying(255) to text: check the casts of "
                                    + "its up and down",
                            "pets.name is dropped and nickname of the same type added: if a property was renamed, "
                                    + "write one rename_column instead of its drop_column and add_column, which "
                                    + "keeps the values");
            assertThat(generated.yaml()).contains("# " + generated.notes().get(1) + "\n");

            List<Operation> edited = new ArrayList<>();
            for (Operation op : generated.operations()) {
                if (op instanceof AlterColumn alter) {
                    edited.add(new AlterColumn(
                            alter.table(),
                            alter.column(),
                            alter.type(),
                            alter.nullable(),
                            null,
                            null,
                            null,
                            null,
                            null,
                            "COALESCE(CAST(\"full_name\" AS text), 'unknown')",
                            alter.down()));
                } else if (op instanceof AddColumn) {
                    edited.add(new RenameColumn("pets", "name", "nickname"));
                }
            }
            pgroll.start(new Migration("03_generated", null, edited), false);

            try (HikariDataSource pool = PinnedPools.of(db, "03_generated");
                    SessionFactory factory =
                            model(pool, "validate", next).buildMetadata().buildSessionFactory()) {
                factory.inTransaction(session -> {
                    assertThat(session.find(OwnerRetyped.class, 102L).getFullName())
                            .isEqualTo("unknown");
                    assertThat(session.createSelectionQuery("from RenamedPet", RenamedPet.class)
                                    .getSingleResult()
                                    .getNickname())
                            .isEqualTo("Rex");
                    session.persist(new OwnerRetyped("Bea"));
                });
                assertThat(compare(pool, next).operations()).isEmpty();
            }
            assertThat(rows(old, "SELECT full_name FROM owners ORDER BY full_name"))
                    .containsExactly("Ada", "Bea", null);
        }
        pgroll.complete();
    }

    /** A model that matches the version gives no operation; a table no entity maps is only noted. */
    @Test
    void leavesAnUnmappedTableAloneAndSaysSo() throws SQLException {
        TestDatabase db = TestPostgres.createDatabase("hibernate_generator_unmapped");
        ownersAndPets(db);
        try (HikariDataSource pool = PinnedPools.of(db, "02_sequence")) {
            MigrationGenerator.Generated generated = compare(pool, Owner.class);
            assertThat(generated.operations()).isEmpty();
            assertThat(generated.notes())
                    .containsExactly("table pets of the version is mapped by no entity and left alone: add a "
                            + "drop_table if the application no longer uses it");
            assertThat(generated.yaml()).endsWith("operations: []\n");
        }
    }

    private static void execute(HikariDataSource pool, String... statements) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static List<String> rows(HikariDataSource pool, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
