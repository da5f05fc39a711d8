package io.pgroll.engine.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.engine.convert.SqlLinter.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each rule: a statement it finds, and the safe way of doing the same, which it does not. */
class SqlLinterTest {
    private static final String LOCK_TIMEOUT = "SET lock_timeout = '2s';\n";

    private static List<String> rules(String sql, int major) {
        return SqlLinter.lint(LOCK_TIMEOUT + sql, major).stream()
                .map(Finding::rule)
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            index-not-concurrently      | CREATE INDEX i ON t (a)                                   | CREATE INDEX CONCURRENTLY i ON t (a)
            index-not-concurrently      | CREATE UNIQUE INDEX i ON t (a)                            | CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)
            drop-index-not-concurrently | DROP INDEX i                                              | DROP INDEX CONCURRENTLY i
            reindex-not-concurrently    | REINDEX INDEX i                                           | REINDEX INDEX CONCURRENTLY i
            constraint-not-valid        | ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) | ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID
            constraint-not-valid        | ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)              | ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID
            constraint-builds-index     | ALTER TABLE t ADD CONSTRAINT k UNIQUE (a)                 | ALTER TABLE t ADD CONSTRAINT k UNIQUE USING INDEX k_idx
            set-not-null                | ALTER TABLE t ALTER COLUMN a SET NOT NULL                 | ALTER TABLE t VALIDATE CONSTRAINT a_not_null
            volatile-default            | ALTER TABLE t ADD COLUMN id uuid DEFAULT gen_random_uuid() | ALTER TABLE t ADD COLUMN created timestamptz DEFAULT now()
            type-change                 | ALTER TABLE t ALTER COLUMN a TYPE bigint                  | ALTER TABLE t ADD COLUMN type text
            type-change                 | ALTER TABLE t ALTER a SET DATA TYPE bigint                | ALTER TABLE t ALTER COLUMN a SET DEFAULT 0
            rename                      | ALTER TABLE t RENAME COLUMN a TO b                        | ALTER TABLE t RENAME CONSTRAINT c TO d
            drop-column                 | ALTER TABLE t DROP COLUMN a                               | ALTER TABLE t DROP CONSTRAINT c
            drop-table                  | DROP TABLE t                                              | DROP VIEW v
            table-rewrite               | VACUUM FULL t                                             | VACUUM t
            """)
    void findsTheBlockingFormAndNotTheSafeOne(String rule, String unsafe, String safe) {
        assertThat(rules(unsafe, 16)).as(unsafe).contains(rule);
        assertThat(rules(safe, 16)).as(safe).doesNotContain(rule);
    }

    @Test
    void aMissingLockTimeoutIsToldOnceAtTheFirstStatementThatLocks() {
        List<Finding> findings = SqlLinter.lint(
                "SELECT 1;\nCREATE INDEX CONCURRENTLY i ON t (a);\nALTER TABLE t ADD COLUMN b text;\nDROP TABLE u;",
                16);
        assertThat(findings)
                .filteredOn(f -> f.rule().equals(SqlLinter.MISSING_LOCK_TIMEOUT))
                .singleElement()
                .satisfies(f -> assertThat(f.line()).isEqualTo(3));
        assertThat(rules("ALTER TABLE t ADD COLUMN b text", 16)).isEmpty();
        assertThat(SqlLinter.lint("SET LOCAL lock_timeout = '1s'; ALTER TABLE t ADD COLUMN b text", 16))
                .isEmpty();
    }

    @Test
    void theServerMajorDecidesSomeRules() {
        String anyDefault = "ALTER TABLE t ADD COLUMN c int DEFAULT 0";
        assertThat(rules(anyDefault, 10)).contains("volatile-default");
        assertThat(rules(anyDefault, 11)).doesNotContain("volatile-default");
        assertThat(SqlLinter.lint(LOCK_TIMEOUT + "ALTER TABLE t ALTER COLUMN a SET NOT NULL", 11)
                        .get(0)
                        .message())
                .contains("before PostgreSQL 12");
        assertThat(SqlLinter.lint(LOCK_TIMEOUT + "REINDEX TABLE t", 11).get(0).message())
                .doesNotContain("REINDEX CONCURRENTLY");
    }

    @Test
    void aFindingNamesItsLineTheRuleAndTheWayOut() {
        assertThat(SqlLinter.lint(LOCK_TIMEOUT + "\n\nCREATE INDEX i ON t (a);", 16))
                .singleElement()
                .hasToString("line 4: index-not-concurrently: CREATE INDEX holds a SHARE lock, blocking writes to the"
                        + " table until the index is built. Use CREATE INDEX CONCURRENTLY (outside a transaction)");
    }
}
