package io.pgroll.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.testing.ConformanceCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * pgroll's format cases: each txtar file holds one migration document and the verdict of pgroll's JSON
 * Schema on it. The structural validator must reach the same verdict, and name the operation when it
 * refuses.
 */
class FormatCasesTest {

    @TestFactory
    Stream<DynamicTest> formatCases() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(ConformanceCorpus.dir("pgroll-format-cases"))) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".txtar"))
                    .sorted()
                    .toList();
        }
        assertThat(files).as("format cases").hasSizeGreaterThanOrEqualTo(31);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(), () -> check(f)));
    }

    private static void check(Path file) throws IOException {
        Txtar txtar = Txtar.parse(Files.readString(file, StandardCharsets.UTF_8));
        String json = txtar.single(".json");
        String valid = txtar.section("valid").strip();
        assertThat(valid).as("verdict of %s", file).isIn("true", "false");
        String label = file.getFileName().toString();
        if (valid.equals("true")) {
            Migration m = MigrationReader.readDocument(json, label);
            assertThat(m.name()).isEqualTo("migration_name");
            assertThat(m.operations()).isNotEmpty();
            assertThat(MigrationReader.readDocument(MigrationReader.toJson(m), label))
                    .isEqualTo(m);
        } else {
            assertThatThrownBy(() -> MigrationReader.readDocument(json, label))
                    .isInstanceOf(MigrationFormatException.class)
                    .hasMessageStartingWith(label + ": operation 1 (")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "jackson", "Exception"));
        }
    }

    /** The txtar archive format: a comment, then {@code -- name --} sections. */
    record Txtar(String comment, List<String[]> sections) {
        static Txtar parse(String text) {
            List<String[]> sections = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            String name = null;
            String comment = null;
            for (String line : text.split("\n", -1)) {
                if (line.startsWith("-- ") && line.endsWith(" --") && line.length() > 6) {
                    if (name == null) {
                        comment = current.toString();
                    } else {
                        sections.add(new String[] {name, current.toString()});
                    }
                    name = line.substring(3, line.length() - 3).strip();
                    current.setLength(0);
                } else {
                    current.append(line).append('\n');
                }
            }
            if (name != null) {
                sections.add(new String[] {name, current.toString()});
            }
            return new Txtar(comment == null ? current.toString() : comment, sections);
        }

        String section(String name) {
            return sections.stream()
                    .filter(s -> s[0].equals(name))
                    .map(s -> s[1])
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no section " + name));
        }

        String single(String suffix) {
            List<String> matches = sections.stream()
                    .filter(s -> s[0].endsWith(suffix))
                    .map(s -> s[1])
                    .toList();
            assertThat(matches).as("sections ending in %s", suffix).hasSize(1);
            return matches.get(0);
        }
    }
}
