package io.pgroll.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.testing.ConformanceCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migration files written back (pull, baseline, update, create) and older formats brought up to date. */
class MigrationWriterTest {

    @Test
    void everyExampleReadsBackEqualFromTheYamlAndTheJsonWritten() {
        List<Path> files = MigrationReader.migrationFiles(ConformanceCorpus.dir("pgroll-examples"));
        assertThat(files).hasSizeGreaterThan(50);
        for (Path file : files) {
            Migration migration = MigrationReader.readFile(file);
            String yaml = MigrationWriter.yaml(migration);
            String json = MigrationWriter.json(migration);
            assertThat(MigrationReader.readContent(migration.name() + ".yaml", yaml))
                    .as("%s as YAML:%n%s", file.getFileName(), yaml)
                    .isEqualTo(migration);
            assertThat(MigrationReader.readContent(migration.name() + ".json", json))
                    .as("%s as JSON:%n%s", file.getFileName(), json)
                    .isEqualTo(migration);
        }
    }

    @Test
    void theYamlIsLaidOutAsPgrollsExamplesWithoutAName() {
        Migration migration = MigrationReader.read(
                """
                operations:
                  - create_table:
                      name: "select"
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: flag, type: text, default: "'true'", nullable: true, comment: "yes"}
                        - {name: code, type: text, default: "'123'", nullable: true, comment: "null"}
                  - sql:
                      up: |
                        CREATE FUNCTION f() RETURNS int
                        LANGUAGE sql AS $$ SELECT 1 $$;
                      down: "DROP FUNCTION f"
                """,
                "01_x",
                "01_x.yaml");
        String yaml = MigrationWriter.yaml(migration);

        assertThat(yaml)
                .startsWith("operations:\n  - create_table:\n      name: select\n")
                .contains("      up: |\n        CREATE FUNCTION f() RETURNS int\n")
                .contains("      default: \"'true'\"\n")
                .doesNotContain("---", "01_x");
        assertThat(MigrationReader.readContent("01_x.yaml", yaml)).isEqualTo(migration);
        assertThat(MigrationWriter.json(migration))
                .startsWith("{\n  \"operations\" : [")
                .endsWith("}\n");
        assertThat(MigrationWriter.fileName("01_x", true)).isEqualTo("01_x.json");
    }

    @Test
    void aBaselinePlaceholderReadsAsAFileButDoesNotValidate() {
        Migration placeholder = Migration.baselinePlaceholder("01_initial");
        assertThat(MigrationReader.readContent("01_initial.yaml", MigrationWriter.yaml(placeholder)))
                .isEqualTo(placeholder);
    }

    @Test
    void aFileInTheCurrentFormatNeedsNoUpdate(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(
                dir.resolve("01_idx.yaml"),
                "operations:\n  - create_index: {name: i, table: t, columns: [{column: a}]}\n");
        assertThat(FormatUpdate.of(file)).isEmpty();
    }

    @Test
    void olderFormatsAreBroughtUpToDate(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(
                dir.resolve("02_old.yaml"),
                """
                name: 02_old
                operations:
                  - create_index:
                      name: idx_list
                      table: fruits
                      columns: [name, price]
                  - create_index:
                      name: idx_map
                      table: fruits
                      columns:
                        price: {sort: DESC}
                        name: {}
                  - alter_column:
                      table: fruits
                      column: name
                      name: title
                  - alter_column:
                      table: fruits
                      column: price
                      name: cost
                      nullable: false
                      up: coalesce(price, 0)
                      down: price
                """);

        FormatUpdate.Result result = FormatUpdate.of(file).orElseThrow();

        assertThat(result.changes())
                .hasSize(5)
                .anySatisfy(c -> assertThat(c).contains("removed the top-level \"name\""))
                .anySatisfy(c -> assertThat(c).startsWith("operation 2 (create_index \"idx_map\")"))
                .anySatisfy(c -> assertThat(c).contains("after the alter_column's other changes"));
        Migration expected = MigrationReader.read(
                """
                operations:
                  - create_index: {name: idx_list, table: fruits, columns: [{column: name}, {column: price}]}
                  - create_index: {name: idx_map, table: fruits, columns: [{column: price, sort: DESC}, {column: name}]}
                  - rename_column: {table: fruits, from: name, to: title}
                  - alter_column: {table: fruits, column: price, nullable: false, up: "coalesce(price, 0)", down: price}
                  - rename_column: {table: fruits, from: price, to: cost}
                """,
                "02_old",
                "02_old.yaml");
        assertThat(result.migration()).isEqualTo(expected);
    }

    @Test
    void aTopLevelNameOtherThanTheFileNameIsSaidToBeDropped(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(
                dir.resolve("03_new.json"),
                "{\"name\": \"03_old\", \"operations\": [{\"drop_table\": {\"name\": \"t\"}}]}");
        Optional<FormatUpdate.Result> result = FormatUpdate.of(file);
        assertThat(result.orElseThrow().changes())
                .containsExactly("removed the top-level \"name\" \"03_old\": the migration is named after its file,"
                        + " \"03_new\"");
    }

    @Test
    void aFileWrongInAnotherWayFailsAsTheReaderFailsIt(@TempDir Path dir) throws IOException {
        Path unknownField = Files.writeString(
                dir.resolve("04_bad.yaml"), "operations:\n  - drop_table: {name: t, cascade: true}\n");
        assertThatThrownBy(() -> FormatUpdate.of(unknownField))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessageContaining("04_bad.yaml")
                .hasMessageContaining("cascade");
        Path stillWrong = Files.writeString(
                dir.resolve("05_bad.yaml"), "name: 05_bad\noperations:\n  - drop_table: {name: t, cascade: true}\n");
        assertThatThrownBy(() -> FormatUpdate.of(stillWrong)).hasMessageContaining("cascade");
    }
}
