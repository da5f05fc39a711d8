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

/** create_table, rename_table and drop_table, each after start, after rollback and after complete. */
@ExtendWith(PostgresExtension.class)
class TableOperationsTest {
    private static final String CUSTOMERS =
            """
            operations:
              - create_table:
                  name: customers
                  comment: people who buy
                  columns:
                    - {name: id, type: bigint, pk: true, generated: {identity: {user_specified_values: BY DEFAULT}}}
                    - {name: name, type: varchar(255), unique: true, comment: full name}
                    - {name: email, type: text, nullable: true, check: {name: email_has_at, constraint: "email LIKE '%@%'"}}
                    - {name: since, type: timestamptz, default: now()}
            """;

    private MigrationHarness h;

    @BeforeEach
    void setUp(TestDatabase db) {
        h = MigrationHarness.create(db);
    }

    @Test
    void createTableWithTableConstraintsAndForeignKeys() throws SQLException {
        h.startAndComplete("01_customers", CUSTOMERS);
        String before = h.fingerprint();
        String orders =
                """
                operations:
                  - create_table:
                      name: orders
                      columns:
                        - {name: id, type: serial}
                        - {name: customer_id, type: bigint, references: {name: fk_customer, table: customers, column: id, on_delete: CASCADE}}
                        - {name: code, type: text}
                        - {name: during, type: tstzrange, nullable: true}
                      constraints:
                        - {name: orders_pk, type: primary_key, columns: [id]}
                        - {name: code_unique, type: unique, columns: [customer_id, code], index_parameters: {storage_parameters: fillfactor=80}}
                        - {name: code_short, type: check, check: length(code) < 10}
                        - {name: no_overlap, type: exclude, exclude: {index_method: gist, elements: during WITH &&}}
                """;
        h.start("02_orders", orders);
        try (Connection v2 = h.version("02_orders")) {
            exec(v2, "INSERT INTO customers (name) VALUES ('Ada')");
            exec(v2, "INSERT INTO orders (customer_id, code) VALUES (1, 'A1')");
            assertThatThrownBy(() -> exec(v2, "INSERT INTO orders (customer_id, code) VALUES (1, 'A1')"))
                    .hasMessageContaining("code_unique");
            assertThatThrownBy(() -> exec(v2, "INSERT INTO orders (customer_id, code) VALUES (99, 'B')"))
                    .hasMessageContaining("fk_customer");
            assertThatThrownBy(() -> exec(v2, "INSERT INTO orders (customer_id, code) VALUES (1, 'much too long')"))
                    .hasMessageContaining("code_short");
        }
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(h.db().queryValue("SELECT count(*) FROM " + h.schema() + ".customers"))
                .isEqualTo("1");

        h.start("02_orders", orders);
        h.pgroll().complete();
        assertThat(h.db().query("SELECT conname, contype FROM pg_constraint WHERE contype <> 'n' AND conrelid = '"
                        + h.schema() + ".orders'::regclass ORDER BY conname"))
                .containsExactly(
                        List.of("code_short", "c"),
                        List.of("code_unique", "u"),
                        List.of("fk_customer", "f"),
                        List.of("no_overlap", "x"),
                        List.of("orders_pk", "p"));
        h.assertNoTemporaryObjects();
    }

    @Test
    void createTableThreePhases() throws SQLException {
        String before = h.fingerprint();
        h.start("01_customers", CUSTOMERS);
        try (Connection v1 = h.version("01_customers")) {
            exec(v1, "INSERT INTO customers (name, email) VALUES ('Ada', 'ada@example.com')");
            assertThat(rows(v1, "SELECT id, name, email, since IS NOT NULL FROM customers"))
                    .containsExactly(List.of("1", "Ada", "ada@example.com", "t"));
            assertThatThrownBy(() -> exec(v1, "INSERT INTO customers (name, email) VALUES ('Bob', 'nope')"))
                    .hasMessageContaining("email_has_at");
        }
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);

        h.start("01_customers", CUSTOMERS);
        h.pgroll().complete();
        assertThat(h.db().queryValue("SELECT obj_description('" + h.schema() + ".customers'::regclass)"))
                .isEqualTo("people who buy");
        assertThat(h.db().queryValue("SELECT col_description('" + h.schema() + ".customers'::regclass, 2)"))
                .isEqualTo("full name");
        assertThat(h.db().queryValue("SELECT attidentity FROM pg_attribute WHERE attrelid = '" + h.schema()
                        + ".customers'::regclass AND attname = 'id'"))
                .isEqualTo("d");
        h.assertNoTemporaryObjects();
        assertThat(h.schemas()).containsExactly(h.schema() + "_01_customers");
    }

    @Test
    void renameTableKeepsTheOldNameForTheOldVersionUntilComplete() throws SQLException {
        h.startAndComplete("01_customers", CUSTOMERS);
        h.sql("INSERT INTO customers (name) VALUES ('Ada')");
        String before = h.fingerprint();
        String yaml =
                """
                operations:
                  - rename_table: {from: customers, to: clients}
                """;
        h.start("02_rename", yaml);
        try (Connection v1 = h.version("01_customers");
                Connection v2 = h.version("02_rename")) {
            exec(v1, "INSERT INTO customers (name) VALUES ('from old')");
            exec(v2, "INSERT INTO clients (name) VALUES ('from new')");
            assertThat(rows(v2, "SELECT name FROM clients ORDER BY id"))
                    .containsExactly(List.of("Ada"), List.of("from old"), List.of("from new"));
            assertThat(rows(v1, "SELECT count(*) FROM customers")).containsExactly(List.of("3"));
        }
        h.sql("SELECT count(*) FROM customers"); // the raw table keeps its name during the migration
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(h.db().queryValue("SELECT count(*) FROM " + h.schema() + ".customers"))
                .isEqualTo("3");

        h.start("02_rename", yaml);
        h.pgroll().complete();
        assertThat(h.db().queryValue("SELECT count(*) FROM " + h.schema() + ".clients"))
                .isEqualTo("3");
        try (Connection v2 = h.version("02_rename")) {
            assertThat(rows(v2, "SELECT count(*) FROM clients")).containsExactly(List.of("3"));
        }
        assertThat(h.schemas()).containsExactly(h.schema() + "_02_rename");
    }

    @Test
    void dropTableHidesItFromTheNewVersionAndDropsItAtComplete() throws SQLException {
        h.startAndComplete("01_customers", CUSTOMERS);
        h.sql("INSERT INTO customers (name) VALUES ('Ada')");
        String before = h.fingerprint();
        String yaml =
                """
                operations:
                  - drop_table: {name: customers}
                """;
        h.start("02_drop", yaml);
        try (Connection v1 = h.version("01_customers");
                Connection v2 = h.version("02_drop")) {
            exec(v1, "INSERT INTO customers (name) VALUES ('still writing')");
            assertThatThrownBy(() -> rows(v2, "SELECT * FROM customers")).hasMessageContaining("does not exist");
        }
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);
        assertThat(h.db().queryValue("SELECT count(*) FROM " + h.schema() + ".customers"))
                .isEqualTo("2");

        h.start("02_drop", yaml);
        h.pgroll().complete();
        assertThat(h.db().queryValue("SELECT to_regclass('" + h.schema() + ".customers') IS NULL"))
                .isEqualTo("t");
    }

    @Test
    void dropTableIsRefusedWhileAnotherTableReferencesIt() {
        h.startAndComplete("01_customers", CUSTOMERS);
        h.sql("CREATE TABLE orders (id int, customer bigint CONSTRAINT orders_customer_fk REFERENCES customers (id))");
        String before = h.fingerprint();
        assertThatThrownBy(() -> h.start("02_drop", "operations:\n  - drop_table: {name: customers}\n"))
                .hasMessageContaining("operation 1 (drop_table")
                .hasMessageContaining("foreign key orders_customer_fk of table orders");
        assertThat(h.fingerprint()).isEqualTo(before);
    }

    @Test
    void aTargetSchemaThatDoesNotExistIsRefusedBeforeAnyStatement(TestDatabase db) {
        var pgroll = io.pgroll.engine.Pgroll.configure()
                .dataSource(db.dataSource())
                .schema("no_such_schema")
                .load();
        assertThatThrownBy(() -> pgroll.start(MigrationHarness.migration("01_customers", CUSTOMERS)))
                .hasMessageContaining("schema \"no_such_schema\" does not exist")
                .hasMessageContaining("nothing was changed");
    }

    @Test
    void unknownTableIsRefusedWithTheTablesThatExist() {
        h.startAndComplete("01_customers", CUSTOMERS);
        assertThatThrownBy(
                        () -> h.start(
                                "02_bad",
                                """
                        operations:
                          - rename_table: {from: customer, to: clients}
                        """))
                .hasMessageContaining("migration \"02_bad\": operation 1 (rename_table")
                .hasMessageContaining("table \"customer\" does not exist in schema \"" + h.schema()
                        + "\" (its tables: customers). Nothing was changed.");
    }
}
