package io.pgroll.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.ConformanceCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** pgroll's 56 example migrations: each parses, is named after its file, and survives a JSON round trip. */
class ExamplesParseTest {
    /** An operation key at the start of a list item: {@code   - create_table:}. */
    private static final Pattern OPERATION_KEY = Pattern.compile("(?m)^\\s*-\\s+([a-z_]+):\\s*$");

    @Test
    void directoryHoldsTheFiftySixExamplesInOrder() {
        List<Path> files = MigrationReader.migrationFiles(ConformanceCorpus.dir("pgroll-examples"));
        assertThat(files).hasSize(56);
        assertThat(files.get(0).getFileName()).hasToString("01_create_tables.yaml");
        assertThat(files.get(55).getFileName()).hasToString("56_with_version_schema.yaml");
    }

    @TestFactory
    Stream<DynamicTest> examples() {
        List<Path> files = MigrationReader.migrationFiles(ConformanceCorpus.dir("pgroll-examples"));
        assertThat(files).hasSize(56);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(), () -> check(f)));
    }

    private static void check(Path file) throws IOException {
        Migration m = MigrationReader.readFile(file);
        String fileName = file.getFileName().toString();
        assertThat(m.name()).isEqualTo(fileName.substring(0, fileName.lastIndexOf('.')));
        assertThat(m.operations().stream().map(Operation::kind).toList())
                .as("operation kinds as written in %s", fileName)
                .isEqualTo(kindsAsWritten(Files.readString(file)));

        String json = MigrationReader.toJson(m);
        assertThat(json).doesNotContain("\n").contains("\"name\":\"" + m.name() + "\"");
        assertThat(MigrationReader.readDocument(json, fileName)).isEqualTo(m);
        assertThat(MigrationReader.toJson(MigrationReader.readDocument(json, fileName)))
                .isEqualTo(json);
    }

    private static List<String> kindsAsWritten(String yaml) {
        List<String> kinds = new ArrayList<>();
        Matcher matcher = OPERATION_KEY.matcher(yaml);
        while (matcher.find()) {
            kinds.add(matcher.group(1));
        }
        return kinds;
    }
}
