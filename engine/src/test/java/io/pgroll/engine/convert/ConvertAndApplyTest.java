package io.pgroll.engine.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.convert.SqlConverter.Conversion;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.engine.model.MigrationWriter;
import io.pgroll.testing.CatalogFingerprint;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real SQL, as pg_dump, Hibernate's schema export and a Flyway script write it, converted and then
 * applied by start and complete on a real PostgreSQL.
 */
@ExtendWith(PostgresExtension.class)
class ConvertAndApplyTest {

    @Test
    void aPgDumpConvertedAndMigratedBuildsTheCatalogTheDumpBuilds() throws SQLException {
        String dump = fixture("pg_dump.sql");
        try (TestDatabase direct = TestDatabase.create("dump_direct");
                TestDatabase migrated = TestDatabase.create("dump_migrated")) {
            MigrationHarness.create(direct, "public"); // the event triggers init installs are in both
            try (Connection c = direct.connect();
                    Statement st = c.createStatement()) {
                for (SqlLexer.Statement statement : SqlLexer.split(dump)) {
                    if (statement.tokens().get(0).kind() != SqlLexer.Kind.META) {
                        st.execute(statement.text());
                    }
                }
            }
            Conversion conversion = SqlConverter.convert(dump, "public");
            var h = MigrationHarness.create(migrated, "public");
            h.pgroll().start(reread(conversion.migration("01_dump")), true);

            assertThat(fingerprint(migrated)).isEqualTo(fingerprint(direct));
        }
    }

    @Test
    void hibernatesSchemaExportThenAFlywayScriptApplyAsMigrations(TestDatabase db) throws SQLException {
        var h = MigrationHarness.create(db);
        Conversion hibernate = SqlConverter.convert(fixture("hibernate.sql"), "public");
        assertThat(hibernate.operations())
                .extracting(o -> o.kind())
                .containsExactly("sql", "sql", "create_table", "create_table", "create_table", "create_table", "sql");
        h.pgroll().start(reread(hibernate.migration("01_hibernate")), true);
        h.sql(
                "INSERT INTO owners (id, first_name, telephone) VALUES (1, 'ann', '555')",
                "INSERT INTO pets (id, owner_id, name) VALUES (1, 1, 'rex')",
                "INSERT INTO visits (id, pet_id, description) VALUES (1, 1, '  check-up  ')");

        Conversion flyway = SqlConverter.convert(fixture("flyway_V2__owners_contact.sql"), "public");
        assertThat(flyway.warnings()).isEmpty();
        // the author fills in what the SQL does not say: the old column's value from the new, and the
        // check's column with the value that satisfies it
        String yaml = MigrationWriter.yaml(flyway.migration("02_contact"))
                .replaceFirst(SqlConverter.PLACEHOLDER, "description")
                .replace("placeholder", "name")
                .replace(SqlConverter.PLACEHOLDER, "name");
        h.pgroll().start(MigrationReader.readContent("02_contact.yaml", yaml), false);

        try (Connection v2 = h.version("02_contact");
                Statement st = v2.createStatement()) {
            st.execute("INSERT INTO owners (id, first_name, phone, email) VALUES (2, 'bo', '556', 'bo@example.com')");
            var rs = st.executeQuery("SELECT description FROM visits WHERE id = 1");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("check-up");
        }
        try (Connection v1 = h.version("01_hibernate");
                Statement st = v1.createStatement()) {
            var rs = st.executeQuery("SELECT telephone FROM owners WHERE id = 2");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("556");
        }
        h.pgroll().complete();
        assertThat(db.queryValue("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM"
                        + " information_schema.columns WHERE table_schema = '" + h.schema()
                        + "' AND table_name = 'owners'"))
                .isEqualTo("id,address,city,first_name,last_name,phone,email");
        assertThat(db.queryValue("SELECT count(*) FROM pg_indexes WHERE schemaname = '" + h.schema()
                        + "' AND indexname = 'idx_owners_email'"))
                .isEqualTo("1");
        h.assertNoTemporaryObjects();
    }

    /** The migration as a file holds it: written, then read as start reads a file. */
    private static Migration reread(Migration migration) {
        return MigrationReader.readContent(migration.name() + ".yaml", MigrationWriter.yaml(migration));
    }

    private static String fingerprint(TestDatabase db) throws SQLException {
        try (Connection c = db.connect()) {
            return CatalogFingerprint.of(c, "pgroll", "public_01_dump");
        }
    }

    private static String fixture(String name) {
        try (InputStream in = ConvertAndApplyTest.class.getResourceAsStream("/convert/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
