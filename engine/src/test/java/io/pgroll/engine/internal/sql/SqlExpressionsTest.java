package io.pgroll.engine.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlExpressionsTest {

    @Test
    void namesAreEveryWordAsWrittenAndLowercasedInsideQuotesAndStringsToo() {
        assertThat(SqlExpressions.names("Upper(\"Mixed Case\") || nextval('MySeq') || x::int4"))
                .contains("Upper", "upper", "Mixed Case", "nextval", "MySeq", "myseq", "x", "int4")
                .doesNotContain("||");
        assertThat(SqlExpressions.names("\"a\"\"b\" + 1")).contains("a\"b");
    }

    @Test
    void oneExpressionMayHoldSemicolonsAndParenthesesOnlyInsideQuotesAndComments() {
        assertThat(SqlExpressions.notOneExpression("concat(name, ';)', \"a;b\", $x$;)$x$, E'\\';') /* ; ) */"))
                .isNull();
        assertThat(SqlExpressions.notOneExpression("name; DROP TABLE t")).contains("';'");
        assertThat(SqlExpressions.notOneExpression("1) + (2")).contains("')'");
        assertThat(SqlExpressions.notOneExpression("lower(name")).contains("'('");
        assertThat(SqlExpressions.notOneExpression("'open")).contains("does not end");
    }

    @Test
    void mentionsIgnoresFunctionNamesStringsAndTypes() {
        assertThat(SqlExpressions.mentions("lower(name) || 'name'", "name")).isTrue();
        assertThat(SqlExpressions.mentions("name(x) || 'name' || y::name", "name"))
                .isFalse();
    }
}
