package io.pgroll.examples.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.TestDatabase;
import io.pgroll.testing.TestPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rolling-upgrade example, run as it runs from the command line, on the test PostgreSQL. */
class RollingUpgradeTest {

    @Test
    void bothBuildsAnswerThroughoutAndNoRequestFails() throws Exception {
        TestDatabase db = TestPostgres.createDatabase("rolling_upgrade");
        RollingUpgrade.Report report = RollingUpgrade.run(db.jdbcUrl(), db.user(), db.password());

        assertThat(report.failures()).isEmpty();
        assertThat(report.v1Answered()).isPositive();
        assertThat(report.v2Answered()).isPositive();
        assertThat(report.v2AnsweredAlone())
                .as("requests build 2 answered after complete")
                .isPositive();
        // the rows build 1 wrote without a name have a title; the column is now required
        assertThat(db.queryValue("SELECT count(*) FROM public.items WHERE title IS NULL"))
                .isEqualTo("0");
        assertThat(db.queryValue("SELECT count(*) FROM public.items WHERE title = 'untitled'"))
                .isNotEqualTo("0");
        assertThat(db.queryValue("SELECT is_nullable FROM information_schema.columns WHERE table_schema = "
                        + "'public' AND table_name = 'items' AND column_name = 'title'"))
                .isEqualTo("NO");
        assertThat(db.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'public\\_%' ORDER BY 1"))
                .containsExactly(List.of("public_02_title_required"));
    }
}
