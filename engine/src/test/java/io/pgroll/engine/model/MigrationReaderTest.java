package io.pgroll.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.engine.PgrollException.ErrorKind;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files, names, parsing and syntax errors. */
class MigrationReaderTest {
    private static final String SQL_ONLY = "operations:\n  - sql:\n      up: SELECT 1\n";

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void nameComesFromTheFileName() throws IOException {
        assertThat(MigrationReader.readFile(write("01_init.yaml", SQL_ONLY)).name())
                .isEqualTo("01_init");
        assertThat(MigrationReader.readFile(write("02_next.yml", SQL_ONLY)).name())
                .isEqualTo("02_next");
        Migration json =
                MigrationReader.readFile(write("03_json.json", "{\"operations\":[{\"sql\":{\"up\":\"SELECT 1\"}}]}"));
        assertThat(json).isEqualTo(new Migration("03_json", null, List.of(new RawSql("SELECT 1", null, false))));
    }

    @Test
    void topLevelNameIsRefusedInFiles() throws IOException {
        Path file = write("02_add_rating.yaml", "name: other\n" + SQL_ONLY);
        assertThatThrownBy(() -> MigrationReader.readFile(file))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessage("02_add_rating.yaml: a top-level \"name\" field is not allowed: the migration name comes"
                        + " from the file name (\"02_add_rating\"); remove the \"name\" field");
        assertThatThrownBy(() -> MigrationReader.read("name: other\n" + SQL_ONLY, "m", "m.yaml"))
                .hasMessageContaining("the migration name comes from the file name (\"m\")");
    }

    @Test
    void readDocumentTakesTheNameFromTheDocument() {
        assertThat(MigrationReader.readDocument("name: named\n" + SQL_ONLY, "doc")
                        .name())
                .isEqualTo("named");
        assertThat(MigrationReader.readDocument(SQL_ONLY, "doc").name()).isNull();
    }

    @Test
    void formatErrorsAreInvalidMigrations() {
        assertThatThrownBy(() -> MigrationReader.read("operations: 3", "m", "m.yaml"))
                .isInstanceOfSatisfying(MigrationFormatException.class, e -> assertThat(e.kind())
                        .isEqualTo(ErrorKind.INVALID_MIGRATION))
                .hasMessage("m.yaml: field \"operations\" must be an array, got number 3");
    }

    @Test
    void unknownExtensionIsRefused() throws IOException {
        Path file = write("01_init.txt", SQL_ONLY);
        assertThatThrownBy(() -> MigrationReader.readFile(file))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessage("01_init.txt: not a migration file: the name must end in .yaml, .yml or .json");
    }

    @Test
    void missingFileIsReported() {
        assertThatThrownBy(() -> MigrationReader.readFile(dir.resolve("nope.yaml")))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessageStartingWith("nope.yaml: file not found: ");
    }

    @Test
    void emptyMigrationsAreRefusedInFilesButAreValidDocuments() throws IOException {
        Path file = write("01_empty.yaml", "operations: []\n");
        assertThatThrownBy(() -> MigrationReader.readFile(file))
                .hasMessage("01_empty.yaml: the migration is empty: \"operations\" lists no operation");
        assertThatThrownBy(() -> MigrationReader.read("", "m", "m.yaml"))
                .hasMessage("m.yaml: the file is empty; a migration is an object with an \"operations\" list");
        assertThatThrownBy(() -> MigrationReader.read("version_schema: v\n", "m", "m.yaml"))
                .hasMessage("m.yaml: missing required field \"operations\"");
        // pgroll's schema has no minItems: a baseline's document is an empty list
        assertThat(MigrationReader.readDocument("{\"name\":\"b\",\"operations\":[]}", "doc")
                        .operations())
                .isEmpty();
    }

    @Test
    void yamlSyntaxErrorGivesLineAndColumn() {
        String yaml = "operations:\n  - create_table:\n      name: posts\n     columns: []\n";
        assertThatThrownBy(() -> MigrationReader.read(yaml, "m", "01_posts.yaml"))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessage("01_posts.yaml: YAML syntax error at line 4, column 6: expected <block end>, but found"
                        + " '<block mapping start>'");
    }

    @Test
    void jsonSyntaxErrorGivesLineAndColumnWithoutJacksonInternals() throws IOException {
        Path file = write("01_bad.json", "{\n  \"operations\": [}\n");
        assertThatThrownBy(() -> MigrationReader.readFile(file))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessageStartingWith("01_bad.json: JSON syntax error at line 2, column 18: ")
                .hasMessageContaining("(for Array starting at line 2, column 17)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Source", "jackson", "\n"));
    }

    @Test
    void duplicateKeysAreRefused() {
        String yaml = "operations:\n  - drop_table:\n      name: a\n      name: b\n";
        assertThatThrownBy(() -> MigrationReader.read(yaml, "m", "m.yaml"))
                .hasMessage("m.yaml: YAML syntax error at line 4, column 11: duplicate key \"name\"");
        assertThatThrownBy(() -> MigrationReader.read("{\"operations\":[],\"operations\":[]}", "m", "m.json"))
                .hasMessageStartingWith("m.json: JSON syntax error at line 1, column ")
                .hasMessageEndingWith(": duplicate key \"operations\"");
    }

    @Test
    void aFileOfAHundredMegabytesIsRefusedBeforeItIsRead() throws IOException {
        Path file = dir.resolve("01_huge.yaml");
        try (RandomAccessFile huge = new RandomAccessFile(file.toFile(), "rw")) {
            huge.setLength(100L * 1024 * 1024); // sparse: nothing written, nothing would be read
        }
        assertThatThrownBy(() -> MigrationReader.readFile(file))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessage("01_huge.yaml: the migration is 100.0 MiB long; a migration may be at most 4 MiB: split it"
                        + " into several migrations");
    }

    @Test
    void aMillionOperationsAreRefusedByTheirSizeWhateverTheFormat() {
        StringBuilder json = new StringBuilder("{\"operations\": [");
        StringBuilder yaml = new StringBuilder("operations:\n");
        for (int i = 0; i < 1_000_000; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"drop_index\": {\"name\": \"i")
                    .append(i)
                    .append("\"}}");
            yaml.append("  - drop_index: {name: i").append(i).append("}\n");
        }
        json.append("]}");
        assertThatThrownBy(() -> MigrationReader.readContent("01_million.json", json.toString()))
                .hasMessageStartingWith("01_million.json: the migration is " + json.length() + " characters long;")
                .hasMessageEndingWith("split it into several migrations");
        assertThatThrownBy(() -> MigrationReader.read(yaml.toString(), "01_million", "01_million.yaml"))
                .hasMessageStartingWith("01_million.yaml: the migration is " + yaml.length() + " characters long;");
    }

    @Test
    void aMigrationJustUnderTheLimitIsRead() {
        StringBuilder json = new StringBuilder("{\"operations\": [");
        int operations = 0;
        while (json.length() < MigrationReader.MAX_FILE_BYTES - 100) {
            json.append(operations == 0 ? "" : ",")
                    .append("{\"drop_index\": {\"name\": \"i")
                    .append(operations++);
            json.append("\"}}");
        }
        json.append("]}");
        assertThat(MigrationReader.readContent("01_many.json", json.toString()).operations())
                .hasSize(operations);
    }

    @Test
    void deepNestingIsRefusedInEitherFormat() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> MigrationReader.readContent("01_deep.json", "{\"operations\": " + deep + "}"))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessage(
                        "01_deep.json: JSON syntax error: nested more than 100 levels deep; a migration is a few levels deep");
        assertThatThrownBy(() -> MigrationReader.readContent("01_deep.yaml", "operations: " + deep))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessageStartingWith("01_deep.yaml: YAML syntax error")
                .hasMessageNotContaining("StreamReadConstraints");
    }

    @Test
    void aTruncatedFileNamesWhereItEnds() {
        String json = "{\"operations\": [{\"create_table\": {\"name\": \"users\", \"columns\": [{\"name\": \"id\"";
        assertThatThrownBy(() -> MigrationReader.readContent("01_cut.json", json))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessageStartingWith("01_cut.json: JSON syntax error at line 1, column ")
                .hasMessageContaining("end-of-input");
        assertThatThrownBy(() -> MigrationReader.readContent("01_cut.yaml", "operations:\n  - create_table: {name: us"))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessageStartingWith("01_cut.yaml: YAML syntax error at line 2, column ");
    }

    @Test
    void aSecondDocumentIsRefused() {
        assertThatThrownBy(() -> MigrationReader.read(SQL_ONLY + "---\n" + SQL_ONLY, "m", "m.yaml"))
                .hasMessage("m.yaml: YAML syntax error at line 5, column 1: a second YAML document; a migration file"
                        + " holds one");
        assertThatThrownBy(() -> MigrationReader.read("{\"operations\":[]} {}", "m", "m.json"))
                .hasMessageContaining("JSON syntax error")
                .hasMessageNotContaining("jackson");
    }

    @Test
    void jsonWithTabsAndByteOrderMarkIsRead() throws IOException {
        Path file = write("01_tabs.yaml", "\uFEFF{\n\t\"operations\": [{\"sql\": {\"up\": \"SELECT 1\"}}]\n}\n");
        assertThat(MigrationReader.readFile(file).operations()).containsExactly(new RawSql("SELECT 1", null, false));
        // a YAML flow mapping also starts with a brace
        assertThat(MigrationReader.read("{operations: [{sql: {up: SELECT 1}}]}", "m", "m.yaml")
                        .operations())
                .hasSize(1);
    }

    @Test
    void migrationFilesAreTheMigrationExtensionsInLexicographicOrder() throws IOException {
        for (String name : List.of("b.yaml", "a.json", "2_x.yaml", "10_x.yml", "notes.txt", "README.md", ".yaml")) {
            write(name, SQL_ONLY);
        }
        Files.createDirectory(dir.resolve("0_directory.yaml"));
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub").resolve("0_nested.yaml"), SQL_ONLY);

        assertThat(MigrationReader.migrationFiles(dir).stream()
                        .map(p -> p.getFileName().toString())
                        .toList())
                .containsExactly("10_x.yml", "2_x.yaml", "a.json", "b.yaml");
    }

    @Test
    void migrationFilesOfSomethingElseThanADirectoryIsRefused() throws IOException {
        Path file = write("01.yaml", SQL_ONLY);
        assertThatThrownBy(() -> MigrationReader.migrationFiles(file))
                .isInstanceOf(MigrationFormatException.class)
                .hasMessageEndingWith("01.yaml: not a directory of migration files");
    }
}
