package io.pgroll.engine.operations;

import static io.pgroll.testing.Rows.exec;
import static io.pgroll.testing.Rows.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** alter_column in its forms, each after start (both directions), after rollback and after complete. */
@ExtendWith(PostgresExtension.class)
class AlterColumnTest {
    private MigrationHarness h;

    @BeforeEach
    void setUp(TestDatabase db) {
        h = MigrationHarness.create(db);
        h.startAndComplete(
                "01_reviews",
                """
                operations:
                  - create_table:
                      name: reviews
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: product, type: text}
                        - {name: review, type: text, nullable: true}
                        - {name: rating, type: text, default: "'0'"}
                """);
        h.sql("INSERT INTO reviews (product, review, rating) SELECT 'p' || g, CASE WHEN g % 2 = 0 THEN 'ok' END, "
                + "(g % 5)::text FROM generate_series(1, 300) g");
    }

    private String columnShape(String column) {
        return h.db().queryValue("SELECT format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' not null' "
                + "ELSE '' END FROM pg_attribute WHERE attrelid = '" + h.schema()
                + ".reviews'::regclass AND attname = '"
                + column + "'");
    }

    @Test
    void typeChangeKeepsBothVersionsInStepAndRollsBackOrCompletes() throws SQLException {
        String yaml =
                """
                operations:
                  - alter_column:
                      table: reviews
                      column: rating
                      type: integer
                      up: CAST(rating AS integer)
                      down: CAST(rating AS text)
                """;
        String before = h.fingerprint();
        h.start("02_rating_int", yaml);
        try (Connection v1 = h.version("01_reviews");
                Connection v2 = h.version("02_rating_int")) {
            assertThat(rows(v2, "SELECT pg_typeof(rating)::text, rating FROM reviews WHERE id = 3"))
                    .containsExactly(List.of("integer", "3"));
            assertThat(rows(v1, "SELECT pg_typeof(rating)::text FROM reviews WHERE id = 3"))
                    .containsExactly(List.of("text"));
            exec(v1, "INSERT INTO reviews (product, rating) VALUES ('from old', '7')");
            assertThat(rows(v2, "SELECT rating FROM reviews WHERE product = 'from old'"))
                    .containsExactly(List.of("7"));
            exec(v2, "INSERT INTO reviews (product, rating) VALUES ('from new', 9)");
            assertThat(rows(v1, "SELECT rating FROM reviews WHERE product = 'from new'"))
                    .containsExactly(List.of("9"));
            exec(v2, "UPDATE reviews SET rating = 4 WHERE id = 1");
            assertThat(rows(v1, "SELECT rating FROM reviews WHERE id = 1")).containsExactly(List.of("4"));
            exec(v2, "INSERT INTO reviews (product) VALUES ('default rating')");
            assertThat(rows(v2, "SELECT rating FROM reviews WHERE product = 'default rating'"))
                    .containsExactly(List.of("0"));
        }
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(h.db().query("SELECT rating FROM " + h.schema() + ".reviews WHERE id = 1 OR product LIKE 'from%' "
                        + "ORDER BY id"))
                .containsExactly(List.of("4"), List.of("7"), List.of("9"));

        h.start("02_rating_int", yaml);
        h.pgroll().complete();
        assertThat(columnShape("rating")).isEqualTo("integer not null");
        assertThat(h.db().queryValue("SELECT sum(rating) FROM " + h.schema() + ".reviews"))
                .isEqualTo("619");
        h.assertNoTemporaryObjects();
        try (Connection v2 = h.version("02_rating_int")) {
            exec(v2, "INSERT INTO reviews (product) VALUES ('after')");
        }
    }

    @Test
    void setNotNullUsesUpForTheOldVersionAndBindsOnlyTheNewOne() throws SQLException {
        String yaml =
                """
                operations:
                  - alter_column:
                      table: reviews
                      column: review
                      nullable: false
                      up: SELECT CASE WHEN review IS NULL THEN product || ' is good' ELSE review END
                      down: review
                """;
        String before = h.fingerprint();
        h.start("02_review_required", yaml);
        try (Connection v1 = h.version("01_reviews");
                Connection v2 = h.version("02_review_required")) {
            assertThat(rows(v2, "SELECT review FROM reviews WHERE id = 1")).containsExactly(List.of("p1 is good"));
            exec(v1, "INSERT INTO reviews (product) VALUES ('quiet')");
            assertThat(rows(v1, "SELECT review FROM reviews WHERE product = 'quiet'"))
                    .containsExactly(java.util.Collections.singletonList(null));
            assertThat(rows(v2, "SELECT review FROM reviews WHERE product = 'quiet'"))
                    .containsExactly(List.of("quiet is good"));
            assertThatThrownBy(() -> exec(v2, "INSERT INTO reviews (product) VALUES ('loud')"))
                    .hasMessageContaining("_pgroll_check_not_null_review");
        }
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);
        h.start("02_review_required", yaml);
        h.pgroll().complete();
        assertThat(columnShape("review")).isEqualTo("text not null");
        h.assertNoTemporaryObjects();
    }

    @Test
    void indexesAndConstraintsOnTheColumnCarryOverAndKeepTheirNames() throws SQLException {
        h.sql(
                "CREATE INDEX reviews_rating_idx ON reviews (rating)",
                "CREATE INDEX reviews_rating_partial ON reviews (product) WHERE rating <> '0'",
                "CREATE INDEX reviews_rating_expr ON reviews (lower(rating))",
                "ALTER TABLE reviews ADD CONSTRAINT rating_short CHECK (length(rating) < 3)",
                "ALTER TABLE reviews ADD CONSTRAINT product_rating_unique UNIQUE (product, rating)");
        String indexesQuery = "SELECT string_agg(c.relname || ' ' || i.indisunique || ' ' || i.indnatts || ' ' "
                + "|| (i.indpred IS NOT NULL) || ' ' || (i.indexprs IS NOT NULL), E'\\n' ORDER BY c.relname) "
                + "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = '" + h.schema()
                + ".reviews'::regclass";
        String indexesBefore = h.db().queryValue(indexesQuery);
        String before = h.fingerprint();
        String yaml =
                """
                operations:
                  - alter_column:
                      table: reviews
                      column: rating
                      type: varchar(2)
                      up: rating
                      down: rating
                """;
        h.start("02_rating_varchar", yaml);
        try (Connection v2 = h.version("02_rating_varchar")) {
            assertThatThrownBy(() -> exec(v2, "INSERT INTO reviews (product, rating) VALUES ('p1', '1')"))
                    .as("the unique constraint is carried over to the copy")
                    .hasMessageContaining("duplicate key");
        }
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);
        h.start("02_rating_varchar", yaml);
        h.pgroll().complete();
        assertThat(h.db().queryValue(indexesQuery)).isEqualTo(indexesBefore);
        assertThat(h.db().queryValue(
                                "SELECT string_agg(conname || ':' || pg_get_constraintdef(oid), ', ' ORDER BY conname) "
                                        + "FROM pg_constraint WHERE contype <> 'n' AND conrelid = '" + h.schema()
                                        + ".reviews'::regclass"))
                .isEqualTo(
                        "product_rating_unique:UNIQUE (product, rating), rating_short:CHECK ((length((rating)::text) < 3)), "
                                + "reviews_pkey:PRIMARY KEY (id)");
        h.assertNoTemporaryObjects();
    }

    @Test
    void everyFormTogether() throws SQLException {
        h.startAndComplete(
                "02_products",
                "operations:\n  - create_table: {name: products, columns: [{name: name, type: text, pk: true}]}\n");
        h.sql("INSERT INTO products SELECT 'p' || g FROM generate_series(1, 300) g");
        String yaml =
                """
                operations:
                  - alter_column:
                      table: reviews
                      column: product
                      type: varchar(20)
                      default: "'p1'"
                      comment: the product reviewed
                      unique: {name: reviews_product_unique}
                      check: {name: product_starts_with_p, constraint: "product LIKE 'p%'"}
                      references: {name: fk_product, table: products, column: name}
                      up: product
                      down: product
                """;
        String before = h.fingerprint();
        h.start("03_product", yaml);
        try (Connection v2 = h.version("03_product")) {
            assertThatThrownBy(() -> exec(v2, "INSERT INTO reviews (product) VALUES ('x1')"))
                    .hasMessageContaining("product_starts_with_p");
            assertThatThrownBy(() -> exec(v2, "INSERT INTO reviews (product) VALUES ('p999')"))
                    .hasMessageContaining("fk_product");
        }
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);
        h.start("03_product", yaml);
        h.pgroll().complete();
        assertThat(columnShape("product")).isEqualTo("character varying(20) not null");
        assertThat(h.db().queryValue(
                                "SELECT string_agg(conname, ', ' ORDER BY conname) FROM pg_constraint WHERE contype <> 'n' AND "
                                        + "conrelid = '" + h.schema() + ".reviews'::regclass"))
                .isEqualTo("fk_product, product_starts_with_p, reviews_pkey, reviews_product_unique");
        assertThat(h.db().queryValue("SELECT col_description('" + h.schema() + ".reviews'::regclass, "
                        + "(SELECT attnum FROM pg_attribute WHERE attrelid = '" + h.schema()
                        + ".reviews'::regclass AND attname = 'product'))"))
                .isEqualTo("the product reviewed");
        h.assertNoTemporaryObjects();
    }

    @Test
    void aSerialColumnKeepsItsSequenceThroughATypeChange() throws SQLException {
        h.sql("ALTER TABLE reviews ADD COLUMN seq serial");
        h.start(
                "02_seq_bigint",
                """
                operations:
                  - alter_column: {table: reviews, column: seq, type: bigint, up: seq, down: CAST(seq AS integer)}
                """);
        h.pgroll().complete();
        assertThat(columnShape("seq")).isEqualTo("bigint not null");
        try (Connection v2 = h.version("02_seq_bigint")) {
            exec(v2, "INSERT INTO reviews (product) VALUES ('next')");
            assertThat(rows(v2, "SELECT seq FROM reviews WHERE product = 'next'"))
                    .containsExactly(List.of("301"));
        }
    }

    @Test
    void aPrimaryKeyThatOtherTablesReferenceGoesFromIntToBigint() throws SQLException {
        h.sql(
                "CREATE TABLE comments (id serial PRIMARY KEY, review_id int NOT NULL "
                        + "CONSTRAINT comments_review_fk REFERENCES reviews (id) ON DELETE CASCADE)",
                "INSERT INTO comments (review_id) SELECT id FROM reviews WHERE id % 3 = 0",
                "ALTER TABLE reviews ADD COLUMN parent int CONSTRAINT reviews_parent_fk REFERENCES reviews (id)");
        String before = h.fingerprint();
        String yaml =
                """
                operations:
                  - alter_column:
                      table: reviews
                      column: id
                      type: bigint
                      up: id
                      down: CAST(id AS integer)
                """;
        h.start("02_id_bigint", yaml);
        try (Connection v1 = h.version("01_reviews");
                Connection v2 = h.version("02_id_bigint")) {
            exec(v2, "INSERT INTO reviews (product) VALUES ('new one')");
            assertThat(rows(v2, "SELECT pg_typeof(id)::text FROM reviews WHERE product = 'new one'"))
                    .containsExactly(List.of("bigint"));
            // the other table's foreign key holds against both the original and the copy
            h.sql("INSERT INTO comments (review_id) SELECT id FROM reviews WHERE product = 'new one'");
            assertThatThrownBy(() -> h.sql("INSERT INTO comments (review_id) VALUES (100000)"))
                    .hasMessageContaining("foreign key");
            exec(v1, "INSERT INTO reviews (product) VALUES ('old one')");
            assertThat(rows(v2, "SELECT count(*) FROM reviews WHERE product = 'old one'"))
                    .containsExactly(List.of("1"));
        }
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);

        h.start("02_id_bigint", yaml);
        h.pgroll().complete();
        assertThat(columnShape("id")).isEqualTo("bigint not null");
        assertThat(h.db().queryValue("SELECT string_agg(conrelid::regclass::text || ' ' || conname || ' ' || "
                        + "pg_get_constraintdef(oid), '; ' ORDER BY conname) FROM pg_constraint WHERE contype IN ('f', 'p') "
                        + "AND connamespace = '" + h.schema() + "'::regnamespace"))
                .isEqualTo(h.schema() + ".comments comments_pkey PRIMARY KEY (id); " + h.schema()
                        + ".comments comments_review_fk FOREIGN KEY (review_id) REFERENCES " + h.schema()
                        + ".reviews(id) ON DELETE CASCADE; " + h.schema() + ".reviews reviews_parent_fk FOREIGN KEY "
                        + "(parent) REFERENCES " + h.schema() + ".reviews(id); " + h.schema()
                        + ".reviews reviews_pkey PRIMARY KEY (id)");
        h.assertNoTemporaryObjects();
        h.sql("DELETE FROM reviews WHERE id = 3");
        assertThat(h.db().queryValue("SELECT count(*) FROM " + h.schema() + ".comments WHERE review_id = 3"))
                .as("ON DELETE CASCADE kept")
                .isEqualTo("0");
    }

    @Test
    void anIdentityColumnChangesTypeAndKeepsNumbering() throws SQLException {
        h.sql(
                "CREATE TABLE tickets (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text)",
                "INSERT INTO tickets (title) SELECT 't' || g FROM generate_series(1, 50) g");
        String yaml =
                """
                operations:
                  - alter_column: {table: tickets, column: id, type: bigint, up: id, down: CAST(id AS integer)}
                """;
        String before = h.fingerprint();
        h.start("02_ticket_bigint", yaml);
        // the table was made outside the tool after 01: the old version reaches it directly
        try (Connection v1 = h.pinned(h.schema());
                Connection v2 = h.version("02_ticket_bigint")) {
            exec(v2, "INSERT INTO tickets (title) VALUES ('new version')");
            exec(v1, "INSERT INTO tickets (title) VALUES ('old version')");
            assertThat(rows(v2, "SELECT count(*), count(DISTINCT id) FROM tickets"))
                    .containsExactly(List.of("52", "52"));
            assertThat(rows(v1, "SELECT count(*) FROM tickets t1 JOIN tickets t2 USING (id)"))
                    .containsExactly(List.of("52"));
        }
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);

        h.start("02_ticket_bigint", yaml);
        h.pgroll().complete();
        assertThat(h.db().queryValue("SELECT format_type(atttypid, atttypmod) || ' ' || attidentity::text || ' ' || "
                        + "pg_get_serial_sequence('" + h.schema()
                        + ".tickets', 'id') FROM pg_attribute WHERE attrelid = '"
                        + h.schema() + ".tickets'::regclass AND attname = 'id'"))
                .isEqualTo("bigint a " + h.schema() + ".tickets_id_seq");
        h.sql("INSERT INTO tickets (title) VALUES ('after')");
        assertThat(h.db().queryValue("SELECT count(*) = count(DISTINCT id) AND max(id) = (SELECT id FROM " + h.schema()
                        + ".tickets WHERE title = 'after') FROM " + h.schema() + ".tickets"))
                .isEqualTo("t");
        assertThatThrownBy(() -> h.sql("INSERT INTO tickets (id, title) VALUES (1000, 'x')"))
                .as("still GENERATED ALWAYS")
                .hasMessageContaining("non-DEFAULT value");
        h.assertNoTemporaryObjects();
    }

    @Test
    void aRewrittenColumnKeepsItsCollationAndColumnPrivileges() {
        h.sql(
                "CREATE TABLE labels (id serial PRIMARY KEY, name text COLLATE \"C\")",
                "INSERT INTO labels (name) VALUES ('a')",
                "GRANT SELECT (name), UPDATE (name) ON labels TO PUBLIC");
        h.start(
                "02_name_set",
                "operations:\n  - alter_column: {table: labels, column: name, check: {name: name_set, "
                        + "constraint: length(name) > 0}, up: name, down: name}\n");
        h.pgroll().complete();
        assertThat(h.db().queryValue(
                                "SELECT collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation "
                                        + "WHERE attrelid = '" + h.schema()
                                        + ".labels'::regclass AND attname = 'name'"))
                .isEqualTo("C");
        assertThat(h.db().queryValue("SELECT attacl::text FROM pg_attribute WHERE attrelid = '" + h.schema()
                        + ".labels'::regclass AND attname = 'name'"))
                .as("column privileges kept")
                .isEqualTo("{=rw/" + h.db().user() + "}");
    }

    @Test
    void aViewOnTheColumnIsNamedAndNothingStarts() {
        h.sql("CREATE VIEW rating_report AS SELECT rating FROM reviews");
        String before = h.fingerprint();
        assertThatThrownBy(() -> h.start(
                        "02_rating_int",
                        "operations:\n  - alter_column: {table: reviews, column: rating, type: integer, "
                                + "up: CAST(rating AS integer), down: CAST(rating AS text)}\n"))
                .hasMessageContaining("operation 1 (alter_column")
                .hasMessageContaining("view " + h.schema() + ".rating_report")
                .hasMessageContaining("Nothing was changed");
        assertThat(h.fingerprint()).isEqualTo(before);
    }
}
