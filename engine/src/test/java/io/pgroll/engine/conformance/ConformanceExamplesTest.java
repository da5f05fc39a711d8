package io.pgroll.engine.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.Status;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.engine.model.RawSql;
import io.pgroll.testing.ConformanceCorpus;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * pgroll's own example migrations, applied in order on an empty schema: each is started, rolled back
 * (the catalog must come back identical), started again and completed.
 */
@ExtendWith(PostgresExtension.class)
class ConformanceExamplesTest {
    static List<Path> examples() throws Exception {
        List<Path> files = MigrationReader.migrationFiles(ConformanceCorpus.dir("pgroll-examples"));
        assertThat(files).hasSize(56);
        return files;
    }

    @ParameterizedTest
    @ValueSource(strings = {"public", "conformance"})
    void everyExampleAppliesInOrderAndRollsBackCleanly(String schema, TestDatabase db) throws Exception {
        MigrationHarness h = MigrationHarness.create(db, schema);
        int applied = 0;
        for (Path file : examples()) {
            Migration migration = MigrationReader.readFile(file);
            String before = h.fingerprint();
            h.pgroll().start(migration);
            assertThat(h.schemas()).as(file.getFileName().toString()).contains(schema + "_" + versionOf(migration));
            assertEveryViewReads(h, file.getFileName().toString());
            if (reversible(migration)) {
                h.pgroll().rollback();
                assertThat(h.fingerprint())
                        .as("rollback of " + file.getFileName())
                        .isEqualTo(before);
                h.pgroll().start(migration);
            }
            h.pgroll().complete();
            h.assertNoTemporaryObjects();
            applied++;
        }
        assertThat(applied).isEqualTo(56);
        Status status = h.pgroll().status();
        assertThat(status.state()).isEqualTo(Status.State.COMPLETE);
        assertThat(status.version()).isEqualTo("with_version_schema");
        assertThat(h.schemas()).containsExactly(schema + "_with_version_schema");
    }

    /** Both versions' schemas answer a query on every one of their views. */
    private static void assertEveryViewReads(MigrationHarness h, String file) {
        for (List<String> view : h.db().query("SELECT table_schema, table_name FROM information_schema.views "
                + "WHERE table_schema LIKE '" + h.schema() + "\\_%'")) {
            assertThat(h.db().query("SELECT count(*) FROM \"" + view.get(0) + "\".\"" + view.get(1) + "\""))
                    .as(file + ": view " + view)
                    .hasSize(1);
        }
    }

    private static String versionOf(Migration migration) {
        return migration.versionSchema() == null ? migration.name() : migration.versionSchema();
    }

    /** Raw SQL without `down` cannot be undone by anyone; the rest must roll back to the same catalog. */
    static boolean reversible(Migration migration) {
        return migration.operations().stream()
                .noneMatch(op -> op instanceof RawSql sql
                        && !sql.onComplete()
                        && (sql.down() == null || sql.down().isBlank()));
    }
}
