package io.pgroll.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** The conformance corpus shared by the project (pgroll's examples, format cases and schema). */
final class Conformance {
    private Conformance() {}

    static Path dir(String sub) {
        String base = System.getProperty("pgroll.conformance.dir");
        assertThat(base)
                .as("system property pgroll.conformance.dir (set by surefire) must point at shared/conformance")
                .isNotBlank();
        Path dir = Path.of(base).resolve(sub).normalize();
        assertThat(dir).as("conformance directory %s", dir).isDirectory();
        return dir;
    }
}
