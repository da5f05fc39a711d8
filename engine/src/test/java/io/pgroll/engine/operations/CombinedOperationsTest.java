package io.pgroll.engine.operations;

import static io.pgroll.testing.Rows.exec;
import static io.pgroll.testing.Rows.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Several operations on one table in one migration, which see each other's effects. */
@ExtendWith(PostgresExtension.class)
class CombinedOperationsTest {
    private MigrationHarness h;

    @BeforeEach
    void setUp(TestDatabase db) {
        h = MigrationHarness.create(db);
        h.startAndComplete(
                "01_people",
                """
                operations:
                  - create_table:
                      name: people
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: first, type: text}
                        - {name: last, type: text}
                        - {name: age, type: text, nullable: true}
                  - create_table:
                      name: pets
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: owner, type: int, references: {name: pets_owner_fk, table: people, column: id}}
                """);
        h.sql(
                "INSERT INTO people (first, last, age) SELECT 'f' || g, 'l' || g, (g % 90)::text FROM generate_series(1, 100) g",
                "INSERT INTO pets (owner) SELECT g FROM generate_series(1, 100, 10) g");
    }

    private void threePhases(String name, String yaml, Runnable afterComplete) throws SQLException {
        String before = h.fingerprint();
        h.start(name, yaml);
        try (Connection v2 = h.version(name)) {
            rows(v2, "SELECT 1"); // the version schema answers
        }
        h.pgroll().rollback();
        assertThat(h.fingerprint()).as("rollback of " + name).isEqualTo(before);
        h.start(name, yaml);
        h.pgroll().complete();
        h.assertNoTemporaryObjects();
        afterComplete.run();
        h.sql("INSERT INTO " + (yaml.contains("to: humans") ? "humans" : "people")
                + " (first, last) VALUES ('a', 'b')");
    }

    @Test
    void aTableRenamedThenRewrittenInTheSameMigration() throws SQLException {
        threePhases(
                "02_humans",
                """
                operations:
                  - rename_table: {from: people, to: humans}
                  - alter_column: {table: humans, column: age, type: integer, up: CAST(age AS integer), down: CAST(age AS text)}
                  - add_column: {table: humans, up: "first || ' ' || last", column: {name: fullname, type: text, nullable: true}}
                """,
                () -> assertThat(h.db().queryValue("SELECT count(*) FROM " + h.schema()
                                + ".humans WHERE fullname = first || ' ' || last"))
                        .isEqualTo("100"));
    }

    @Test
    void aNewTableReferencesATableRenamedEarlierInTheMigration() throws SQLException {
        threePhases(
                "02_humans",
                """
                operations:
                  - rename_table: {from: people, to: humans}
                  - create_table:
                      name: badges
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: human, type: int, references: {name: badges_human_fk, table: humans, column: id}}
                """,
                () -> assertThat(
                                h.db().queryValue("SELECT confrelid::regclass::text FROM pg_constraint WHERE conname = "
                                        + "'badges_human_fk' AND connamespace = '" + h.schema() + "'::regnamespace"))
                        .isEqualTo(h.schema() + ".humans"));
    }

    @Test
    void aColumnAddedThenTheTableRenamed() throws SQLException {
        threePhases(
                "02_humans",
                """
                operations:
                  - add_column: {table: people, up: "upper(first)", column: {name: shout, type: text, nullable: true}}
                  - rename_table: {from: people, to: humans}
                """,
                () -> assertThat(h.db().queryValue("SELECT shout FROM " + h.schema() + ".humans WHERE id = 1"))
                        .isEqualTo("F1"));
    }

    @Test
    void twoRewritesWhereOnesDownReadsTheOther() throws SQLException {
        String yaml =
                """
                operations:
                  - alter_column: {table: people, column: first, type: varchar(40), up: first, down: "first || '/' || last"}
                  - alter_column: {table: people, column: last, type: varchar(40), up: last, down: upper(last)}
                """;
        h.start("02_varchar", yaml);
        try (Connection v1 = h.version("01_people");
                Connection v2 = h.version("02_varchar")) {
            exec(v2, "INSERT INTO people (first, last) VALUES ('ada', 'lovelace')");
            // first's down reads last as the new version wrote it, not the old column
            assertThat(rows(v1, "SELECT first, last FROM people WHERE first LIKE 'ada%'"))
                    .containsExactly(List.of("ada/lovelace", "LOVELACE"));
        }
        h.pgroll().complete();
        h.assertNoTemporaryObjects();
        try (Connection v2 = h.version("02_varchar")) {
            exec(v2, "INSERT INTO people (first, last) VALUES ('grace', 'hopper')");
        }
    }

    @Test
    void dropConstraintDropsAForeignKey() throws SQLException {
        threePhases(
                "02_free_pets",
                """
                operations:
                  - drop_constraint: {table: pets, name: pets_owner_fk, up: owner, down: owner}
                """,
                () -> assertThat(h.db().queryValue("SELECT count(*) FROM pg_constraint WHERE conname = 'pets_owner_fk' "
                                + "AND connamespace = '" + h.schema() + "'::regnamespace"))
                        .isEqualTo("0"));
    }
}
