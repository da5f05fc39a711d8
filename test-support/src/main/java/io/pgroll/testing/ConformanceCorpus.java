package io.pgroll.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * pgroll's conformance corpus (its example migrations and format cases), which lives beside the
 * repository in {@code ../shared/conformance}, not in it. A user's clone has no such folder: the tests
 * that read it are then skipped, saying why, so the README's test command passes there. CI sets
 * {@code pgroll.conformance.required=true}, which turns a missing corpus into a failure instead.
 */
public final class ConformanceCorpus {
    private ConformanceCorpus() {}

    /** The corpus's sub-folder {@code sub}; skips the calling test (or fails it in CI) when absent. */
    public static Path dir(String sub) {
        String base = System.getProperty("pgroll.conformance.dir", "../../shared/conformance");
        Path dir = Path.of(base).resolve(sub).toAbsolutePath().normalize();
        if (Files.isDirectory(dir)) {
            return dir;
        }
        String why = "pgroll's conformance corpus is not at " + dir
                + " (it lives beside the repository, in ../shared/conformance; point -Dpgroll.conformance.dir"
                + " at a copy to run these tests)";
        if (Boolean.getBoolean("pgroll.conformance.required")) {
            throw new AssertionError(why + ", and pgroll.conformance.required is set");
        }
        return Assumptions.abort(why);
    }
}
