package io.pgroll.engine.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.engine.DdlCapture;
import io.pgroll.engine.MigrationHarness;
import io.pgroll.engine.Plan;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code plan} over every kind of operation: each of pgroll's examples, in order, is planned (which
 * changes nothing), then started, rolled back, started again and completed for real, and the DDL the
 * server ran in each phase (recorded by an event trigger) is exactly the plan's.
 */
@ExtendWith(PostgresExtension.class)
class PlanConformanceTest {
    @Test
    void everyExamplesPlanIsWhatItsStartCompleteAndRollbackRun(TestDatabase db) throws Exception {
        MigrationHarness h = MigrationHarness.create(db, "plan_conf");
        int compared = 0;
        for (Path file : ConformanceExamplesTest.examples()) {
            String name = file.getFileName().toString();
            Migration migration = MigrationReader.readFile(file);
            String before = h.fingerprint();

            Plan plan = h.pgroll().plan(migration);

            assertThat(h.fingerprint())
                    .as("the database after the plan of " + name)
                    .isEqualTo(before);
            List<String> started = DdlCapture.during(h, () -> h.pgroll().start(migration));
            assertThat(started).as("start of " + name).isEqualTo(DdlCapture.of(plan.start(), h));
            if (ConformanceExamplesTest.reversible(migration)) {
                List<String> rolledBack = DdlCapture.during(h, () -> h.pgroll().rollback());
                assertThat(rolledBack).as("rollback of " + name).isEqualTo(DdlCapture.of(plan.rollback(), h));
                h.pgroll().start(migration);
            }
            List<String> completed = DdlCapture.during(h, () -> h.pgroll().complete());
            assertThat(completed).as("complete of " + name).isEqualTo(DdlCapture.of(plan.complete(), h));
            compared++;
        }
        assertThat(compared).isEqualTo(56);
    }
}
