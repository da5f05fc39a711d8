package io.pgroll.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** The structural rules of pgroll's JSON Schema, and the messages that name what breaks them. */
class ValidationTest {

    private static Migration read(String operationsYaml) {
        return MigrationReader.read("operations:\n" + operationsYaml, "02_add_rating", "02_add_rating.yaml");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(String operationsYaml) {
        return assertThatThrownBy(() -> read(operationsYaml)).isInstanceOf(MigrationFormatException.class);
    }

    @Test
    void unknownFieldNamesOperationObjectAndKnownFields() {
        refused(
                        """
                  - sql:
                      up: SELECT 1
                  - alter_column:
                      table: reviews
                      column: rating
                      nam: score
                      up: rating
                      down: rating
                """)
                .hasMessage(
                        "02_add_rating.yaml: operation 2 (alter_column \"reviews\".\"rating\"): unknown field \"nam\""
                                + " (known fields: table, column, type, nullable, default, comment, unique, check, references,"
                                + " up, down)");
    }

    @Test
    void unknownFieldInANestedObjectNamesThePath() {
        refused(
                        """
                  - create_table:
                      name: orders
                      columns:
                        - name: user_id
                          type: integer
                          references:
                            name: fk_users_id
                            table: users
                            column: id
                            on_delet: CASCADE
                """)
                .hasMessageStartingWith("02_add_rating.yaml: operation 1 (create_table \"orders\"), column \"user_id\","
                        + " references: unknown field \"on_delet\" (known fields: name, table, column, match_type,");
    }

    @Test
    void alterColumnWithNothingToChangeIsRefused() {
        refused(
                        """
                  - alter_column:
                      table: reviews
                      column: review
                      up: review
                      down: review
                """)
                .hasMessage("02_add_rating.yaml: operation 1 (alter_column \"reviews\".\"review\"): nothing to change:"
                        + " set at least one of type, nullable, default, comment, unique, check, references");
    }

    @Test
    void alterColumnTakesPgrollsDefaultsForAMissingUpOrDown() {
        // pgroll's schema lists up and down as required; its reader does not, and pull leaves them out
        AlterColumn op = (AlterColumn)
                read("""
                  - alter_column:
                      table: reviews
                      column: review
                      nullable: true
                """)
                        .operations()
                        .get(0);
        assertThat(op.up()).isNull();
        assertThat(op.down()).isNull();
    }

    @Test
    void sqlWithDownAndOnCompleteIsRefused() {
        String message = "02_add_rating.yaml: operation 1 (sql): fields \"down\" and \"onComplete\" cannot be used"
                + " together (SQL run on complete is never rolled back)";
        refused(
                        """
                  - sql:
                      up: ALTER TABLE t ADD COLUMN c int
                      down: ALTER TABLE t DROP COLUMN c
                      onComplete: true
                """)
                .hasMessage(message);
        // the schema's oneOf counts presence: onComplete: false next to down is refused too
        refused(
                        """
                  - sql:
                      up: SELECT 1
                      down: SELECT 2
                      onComplete: false
                """)
                .hasMessage(message);
        assertThat(read("  - sql:\n      up: SELECT 1\n      onComplete: true\n")
                        .operations())
                .containsExactly(new RawSql("SELECT 1", null, true));
    }

    @Test
    void requiredFieldsAndTypes() {
        refused("  - create_index:\n      name: idx\n      columns: [{column: a}]\n")
                .hasMessage("02_add_rating.yaml: operation 1 (create_index \"idx\"): missing required field \"table\"");
        refused("  - drop_table:\n      name: null\n")
                .hasMessage("02_add_rating.yaml: operation 1 (drop_table): field \"name\" must not be null");
        refused("  - add_column:\n      table: products\n      column:\n        name: stock\n        type: int\n"
                        + "        nullable: 'false'\n")
                .hasMessage("02_add_rating.yaml: operation 1 (add_column \"products\".\"stock\"), column: field"
                        + " \"nullable\" must be a boolean (true or false), got string \"false\"");
        refused("  - add_column:\n      table: products\n      column:\n        name: stock\n        type: int\n"
                        + "        default: 100\n")
                .hasMessage("02_add_rating.yaml: operation 1 (add_column \"products\".\"stock\"), column: field"
                        + " \"default\" must be a string, got number 100; quote it: \"100\"");
        refused("  - add_column:\n      table: products\n      column: {name: price, type: numeric, default: 0.00}\n")
                .hasMessageEndingWith(
                        "field \"default\" must be a string, got a decimal number; quote the value to keep it as text");
        refused("  - create_table:\n      name: t\n      columns:\n        - name: a\n          type: int\n"
                        + "        - type: int\n")
                .hasMessage("02_add_rating.yaml: operation 1 (create_table \"t\"), column 2: missing required field"
                        + " \"name\"");
    }

    @Test
    void operationShape() {
        refused("  - create_tabel:\n      name: t\n")
                .hasMessageStartingWith(
                        "02_add_rating.yaml: operation 1: unknown operation \"create_tabel\" (known operations:"
                                + " create_table, add_column,");
        refused("  - drop_table: {name: a}\n    drop_index: {name: b}\n")
                .hasMessageStartingWith("02_add_rating.yaml: operation 1: must be an object with exactly one key")
                .hasMessageEndingWith("got an object with keys drop_table, drop_index");
        refused("  - drop_table\n").hasMessageEndingWith("got string \"drop_table\"");
        refused("  - drop_table: t\n")
                .hasMessage("02_add_rating.yaml: operation 1 (drop_table): must be an object, got string \"t\"");
    }

    @Test
    void enumerations() {
        refused(
                        "  - create_index:\n      name: i\n      table: t\n      columns: [{column: a}]\n      method: bitmap\n")
                .hasMessage("02_add_rating.yaml: operation 1 (create_index \"i\"): field \"method\" must be one of"
                        + " btree, hash, gist, spgist, gin, brin, got \"bitmap\"");
        refused("  - create_index:\n      name: i\n      table: t\n      columns: [{column: a, sort: asc}]\n")
                .hasMessage("02_add_rating.yaml: operation 1 (create_index \"i\"), index column \"a\": field \"sort\""
                        + " must be one of ASC, DESC, got \"asc\"");
        refused("  - create_index:\n      name: i\n      table: t\n      columns: [{column: a, nulls: NONE}]\n")
                .hasMessageEndingWith("field \"nulls\" must be one of FIRST, LAST, got \"NONE\"");
        refused("  - create_table:\n      name: t\n      columns:\n        - name: id\n          type: int\n"
                        + "          generated: {identity: {user_specified_values: SOMETIMES}}\n")
                .hasMessage("02_add_rating.yaml: operation 1 (create_table \"t\"), column \"id\", generated, identity:"
                        + " field \"user_specified_values\" must be one of ALWAYS, BY DEFAULT, got \"SOMETIMES\"");
        refused("  - create_table:\n      name: t\n      columns: [{name: a, type: int}]\n      constraints:\n"
                        + "        - {name: c, type: foreign_key, columns: [a],"
                        + " references: {table: u, columns: [id], match_type: LOOSE}}\n")
                .hasMessageEndingWith(
                        "constraint \"c\", references: field \"match_type\" must be one of SIMPLE, FULL, PARTIAL,"
                                + " got \"LOOSE\"");
        refused("  - create_constraint:\n      table: t\n      name: c\n      type: exclude\n      up: {}\n"
                        + "      down: {}\n")
                .hasMessage("02_add_rating.yaml: operation 1 (create_constraint \"t\".\"c\"): field \"type\" must be"
                        + " one of unique, check, foreign_key, primary_key, got \"exclude\"");
    }

    @Test
    void indexColumnsAreObjects() {
        refused("  - create_index:\n      name: i\n      table: t\n      columns: [name]\n")
                .hasMessage("02_add_rating.yaml: operation 1 (create_index \"i\"), index column 1: must be an object"
                        + " such as {\"column\": \"name\"}, got string \"name\"");
        CreateIndex index = (CreateIndex)
                read("""
                          - create_index:
                              name: i
                              table: t
                              columns:
                                - column: a
                                  collate: C
                                  sort: DESC
                                  nulls: LAST
                                  opclass: {name: text_pattern_ops, params: [x]}
                              predicate: a > 0
                              method: gin
                              storage_parameters: fillfactor = 70
                              unique: true
                        """)
                        .operations()
                        .get(0);
        assertThat(index)
                .isEqualTo(new CreateIndex(
                        "i",
                        "t",
                        List.of(new IndexField(
                                "a", "C", "DESC", new OpClass("text_pattern_ops", List.of("x")), "LAST")),
                        "a > 0",
                        "gin",
                        "fillfactor = 70",
                        true));
    }

    @Test
    void tableConstraintRules() {
        String table =
                "  - create_table:\n      name: posts\n      columns: [{name: a, type: int}]\n      constraints:\n";
        refused(table + "        - {name: pk, type: primary_key}\n")
                .hasMessage("02_add_rating.yaml: operation 1 (create_table \"posts\"): constraint \"pk\" of type"
                        + " primary_key requires \"columns\"");
        refused(table + "        - {name: c, type: check, check: a > 0, index_parameters: {tablespace: fast}}\n")
                .hasMessageEndingWith("constraint \"c\" of type check must not set \"index_parameters\"");
        refused(table + "        - {name: u, type: unique, columns: [a], nulls_not_distinct: true, no_inherit: true}\n")
                .hasMessageEndingWith("constraint \"u\" of type unique must not set \"no_inherit\" to true");
        refused(table + "        - {name: pk, type: primary_key, columns: [a], nulls_not_distinct: true}\n")
                .hasMessageEndingWith(
                        "constraint \"pk\" of type primary_key must not set \"nulls_not_distinct\" to true");
        refused(table + "        - {name: fk, type: foreign_key, columns: [a], references: {table: u, columns: [id]},"
                        + " index_parameters: {tablespace: x}}\n")
                .hasMessageEndingWith("constraint \"fk\" of type foreign_key must not set \"index_parameters\"");

        // what the schema allows: an empty check or index_parameters, an empty columns list for exclude
        CreateTable ok = (CreateTable) read(table
                        + "        - {name: c, type: check, check: a > 0, index_parameters: {}}\n"
                        + "        - {name: u, type: unique, columns: [a], check: '', nulls_not_distinct: true,"
                        + " deferrable: true, initially_deferred: true, index_parameters: {tablespace: fast,"
                        + " storage_parameters: fillfactor=70, include_columns: [b]}}\n"
                        + "        - {name: x, type: exclude, columns: [], exclude: {index_method: gist,"
                        + " elements: a WITH =}}\n")
                .operations()
                .get(0);
        assertThat(ok.constraints())
                .extracting(TableConstraint::type)
                .containsExactly(ConstraintType.CHECK, ConstraintType.UNIQUE, ConstraintType.EXCLUDE);
        assertThat(ok.constraints().get(1).indexParameters())
                .isEqualTo(new IndexParameters("fast", "fillfactor=70", List.of("b")));
        assertThat(MigrationReader.readDocument(
                                MigrationReader.toJson(read(table
                                        + "        - {name: c, type: check, check: a > 0, index_parameters: {}}\n")),
                                "doc")
                        .operations())
                .hasSize(1);
    }

    @Test
    void createConstraintRules() {
        String op = "  - create_constraint:\n      table: t\n      name: c\n      up: {a: a}\n      down: {a: a}\n";
        refused(op + "      type: check\n      columns: [a]\n")
                .hasMessage("02_add_rating.yaml: operation 1 (create_constraint \"t\".\"c\"): constraint \"c\" of type"
                        + " check requires \"check\"");
        refused(op + "      type: check\n      check: a > 0\n      references: {table: u, columns: [id]}\n")
                .hasMessageEndingWith("constraint \"c\" of type check must not set \"references\"");
        refused(op + "      type: foreign_key\n      columns: [a]\n      no_inherit: true\n"
                        + "      references: {table: u, columns: [id]}\n")
                .hasMessageEndingWith("constraint \"c\" of type foreign_key must not set \"no_inherit\" to true");
        refused(op + "      type: primary_key\n")
                .hasMessageEndingWith("constraint \"c\" of type primary_key requires \"columns\"");
        refused("  - create_constraint:\n      table: t\n      name: c\n      type: unique\n      columns: [a]\n"
                        + "      up: {a: a}\n")
                .hasMessageEndingWith("missing required field \"down\"");
        refused(op.replace("down: {a: a}", "down: {a: 1}") + "      type: unique\n      columns: [a]\n")
                .hasMessageEndingWith(
                        "(create_constraint \"t\".\"c\"): field \"down\", entry \"a\" must be a string, got number 1");

        CreateConstraint check = (CreateConstraint)
                read(op + "      type: check\n      columns: [a]\n      check: a > 0\n      no_inherit: true\n")
                        .operations()
                        .get(0);
        assertThat(check.type()).isEqualTo(ConstraintType.CHECK);
        assertThat(check.noInherit()).isTrue();
        assertThat(check.up()).containsExactly(java.util.Map.entry("a", "a"));
    }

    @Test
    void upAndDownMapsKeepTheirOrder() {
        DropMultiColumnConstraint op = (DropMultiColumnConstraint)
                read("""
                          - drop_multicolumn_constraint:
                              table: t
                              name: c
                              down: {z: z, a: a, m: m}
                        """)
                        .operations()
                        .get(0);
        assertThat(op.down().keySet()).containsExactly("z", "a", "m");
        assertThat(op.up()).isEmpty();
        assertThatThrownBy(() -> op.down().put("b", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void replicaIdentity() {
        SetReplicaIdentity op = (SetReplicaIdentity)
                read("  - set_replica_identity:\n      table: t\n      identity: {type: FULL, index: ''}\n")
                        .operations()
                        .get(0);
        assertThat(op.identity()).isEqualTo(new ReplicaIdentity("FULL", ""));
        refused("  - set_replica_identity:\n      table: t\n      identity: {type: everything, index: ''}\n")
                .hasMessage("02_add_rating.yaml: operation 1 (set_replica_identity \"t\"), identity: field \"type\""
                        + " must be one of full, default, nothing, index, got \"everything\"");
        assertThat(read("  - set_replica_identity:\n      table: t\n      identity: {type: full}\n")
                        .operations())
                .containsExactly(new SetReplicaIdentity("t", new ReplicaIdentity("full", null)));
        refused("  - set_replica_identity:\n      table: t\n      identity: {type: index}\n")
                .hasMessageEndingWith("identity: missing required field \"index\"");
    }

    @Test
    void nullCountsAsAbsentForOptionalFields() {
        assertThat(
                        read("  - add_column:\n      table: t\n      up: null\n      column: {name: c, type: int, pk: null}\n")
                                .operations())
                .containsExactly(new AddColumn(
                        "t", new Column("c", "int", false, false, false, null, null, null, null, null), null));
    }

    @Test
    void describeNamesTheObject() {
        Migration m = MigrationReader.readDocument(
                """
                operations:
                  - create_table: {name: posts, columns: []}
                  - drop_table: {name: posts}
                  - rename_table: {from: a, to: b}
                  - add_column: {table: products, column: {name: description, type: text}}
                  - drop_column: {table: t, column: c}
                  - alter_column: {table: t, column: c, nullable: true, up: c, down: c}
                  - rename_column: {table: t, from: a, to: b}
                  - create_index: {name: i, table: t, columns: [{column: c}]}
                  - drop_index: {name: i}
                  - create_constraint: {table: t, name: u, type: unique, columns: [c], up: {c: c}, down: {}}
                  - drop_constraint: {table: t, name: u, up: c, down: c}
                  - drop_multicolumn_constraint: {table: t, name: u, down: {}}
                  - rename_constraint: {table: t, from: a, to: b}
                  - set_replica_identity: {table: t, identity: {type: default, index: ''}}
                  - sql: {up: SELECT 1}
                """,
                "all.yaml");
        assertThat(m.operations().stream().map(Operation::describe).toList())
                .containsExactly(
                        "create_table \"posts\"",
                        "drop_table \"posts\"",
                        "rename_table \"a\"",
                        "add_column \"products\".\"description\"",
                        "drop_column \"t\".\"c\"",
                        "alter_column \"t\".\"c\"",
                        "rename_column \"t\".\"a\"",
                        "create_index \"i\"",
                        "drop_index \"i\"",
                        "create_constraint \"t\".\"u\"",
                        "drop_constraint \"t\".\"u\"",
                        "drop_multicolumn_constraint \"t\".\"u\"",
                        "rename_constraint \"t\".\"a\"",
                        "set_replica_identity \"t\"",
                        "sql");
        assertThat(m.operations().stream().map(Operation::kind).toList())
                .containsExactly(
                        "create_table",
                        "drop_table",
                        "rename_table",
                        "add_column",
                        "drop_column",
                        "alter_column",
                        "rename_column",
                        "create_index",
                        "drop_index",
                        "create_constraint",
                        "drop_constraint",
                        "drop_multicolumn_constraint",
                        "rename_constraint",
                        "set_replica_identity",
                        "sql");
        assertThat(MigrationReader.readDocument(MigrationReader.toJson(m), "all.json"))
                .isEqualTo(m);
    }
}
