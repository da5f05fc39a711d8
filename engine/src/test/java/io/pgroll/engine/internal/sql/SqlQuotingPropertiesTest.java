package io.pgroll.engine.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.TestDatabase;
import io.pgroll.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The SQL-building layer against the real server, with generated text: every name {@link Sql#ident}
 * quotes is the server's name for exactly that text, every string {@link Sql#literal} quotes is that
 * string whatever {@code standard_conforming_strings} says, and the "one expression" rule refuses a
 * fragment exactly when a {@code ;} stands outside its quotes and comments.
 */
class SqlQuotingPropertiesTest {
    /** Pieces of the text generated: the characters that break naive quoting, and some that take several bytes. */
    private static final List<String> PIECES = List.of(
            "a", "Z", "_", "0", " ", "\"", "'", "\\", ";", ".", "$", "-", "*", "/", "(", ")", "\n", "\t", "é", "名",
            "😀", "E", "U&", "--", "/*", "*/", "$$");

    private static TestDatabase db;
    private static Connection connection;

    @BeforeContainer
    static void connect() throws SQLException {
        db = TestPostgres.createDatabase("sql_quoting_properties");
        connection = db.connect();
    }

    @AfterContainer
    static void disconnect() throws SQLException {
        connection.close();
        db.close();
    }

    @Property(tries = 400)
    void anIdentifierWeQuoteIsTheServersNameForThatText(@ForAll("names") String name) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1 AS " + Sql.ident(name))) {
            assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo(name);
        }
    }

    @Property(tries = 400)
    void aLiteralWeQuoteIsTheServersStringForThatText(@ForAll("texts") String text, @ForAll boolean conforming)
            throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SET standard_conforming_strings = " + (conforming ? "on" : "off"));
            try (ResultSet rs = st.executeQuery("SELECT " + Sql.literal(text))) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(text);
            }
        } finally {
            try (Statement st = connection.createStatement()) {
                st.execute("RESET standard_conforming_strings");
            }
        }
    }

    @Property(tries = 1000)
    void tokensThatEachStandAloneMakeOneExpression(@ForAll("expressions") List<String> tokens) {
        assertThat(SqlExpressions.notOneExpression(String.join(" ", tokens))).isNull();
    }

    @Property(tries = 1000)
    void aSemicolonBetweenAnyTwoTokensIsRefused(@ForAll("expressions") List<String> tokens, @ForAll int position) {
        List<String> withSemicolon = new ArrayList<>(tokens);
        withSemicolon.add(Math.floorMod(position, tokens.size() + 1), ";");
        assertThat(SqlExpressions.notOneExpression(String.join(" ", withSemicolon)))
                .isEqualTo("it holds a ';' outside quotes, which would end the statement it is placed in");
    }

    @Property(tries = 300)
    void whatTheRuleAcceptsTheServerReadsAsOneExpression(@ForAll("expressions") List<String> tokens)
            throws SQLException {
        String expression = String.join(" ", tokens);
        // Placed as the engine places a fragment, in parentheses of a statement of its own: the server's
        // lexer must find one statement, and no syntax error (a type error is the fragment's own business).
        String sql = "SELECT (" + expression + "\n) IS NULL FROM (SELECT 1 AS price, 'x' AS \"odd;name\") t";
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
            assertThat(st.getMoreResults()).as("a second statement in %s", sql).isFalse();
            assertThat(st.getUpdateCount()).as("a second statement in %s", sql).isEqualTo(-1);
        } catch (SQLException e) {
            assertThat(e.getSQLState()).as("%s: %s", sql, e.getMessage()).isNotEqualTo("42601");
        }
    }

    @Provide
    Arbitrary<String> names() {
        return pieces().filter(name -> name.getBytes(StandardCharsets.UTF_8).length <= 63);
    }

    @Provide
    Arbitrary<String> texts() {
        return pieces();
    }

    private static Arbitrary<String> pieces() {
        return Arbitraries.of(PIECES).list().ofMinSize(1).ofMaxSize(40).map(parts -> String.join("", parts));
    }

    /**
     * Tokens that are each a whole expression or operator, so that any sequence of them pairs its
     * quotes and parentheses; several hold a {@code ;} inside a literal, an identifier or a comment.
     */
    @Provide
    Arbitrary<List<String>> expressions() {
        Arbitrary<String> operand = Arbitraries.of(
                "1",
                "price",
                "\"odd;name\"",
                "'a;b'",
                "'it''s; fine'",
                "E'x\\';y'",
                "$$;$$",
                "$tag$ ; $tag$",
                "(2)",
                "coalesce(NULL, 'x;')",
                "U&'d\\0061t;a'",
                "/* ; */ 3",
                "-- ; a comment to the end of the line\n4");
        // associative operators only: a = b = c is a syntax error of its own
        Arbitrary<String> operator = Arbitraries.of("+", "*", "||", "AND", "OR");
        return Arbitraries.integers().between(1, 6).flatMap(count -> operand.list()
                .ofSize(count)
                .flatMap(operands -> operator.list().ofSize(count - 1).map(operators -> {
                    List<String> tokens = new ArrayList<>();
                    for (int i = 0; i < operands.size(); i++) {
                        if (i > 0) {
                            tokens.add(operators.get(i - 1));
                        }
                        tokens.add(operands.get(i));
                    }
                    return tokens;
                })));
    }
}
