package io.pgroll.engine.operations;

import static io.pgroll.testing.Rows.exec;
import static io.pgroll.testing.Rows.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.engine.MigrationHarness;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** create_index, drop_index, rename_constraint, set_replica_identity and sql, in all three phases. */
@ExtendWith(PostgresExtension.class)
class IndexAndOtherOperationsTest {
    private MigrationHarness h;

    @BeforeEach
    void setUp(TestDatabase db) {
        h = MigrationHarness.create(db);
        h.startAndComplete(
                "01_fruits",
                """
                operations:
                  - create_table:
                      name: fruits
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text, check: {name: name_length, constraint: length(name) > 1}}
                        - {name: price, type: int, default: "1"}
                """);
        h.sql("INSERT INTO fruits (name, price) SELECT 'fruit' || g, g FROM generate_series(1, 100) g");
    }

    private String indexDef(String name) {
        return h.db().queryValue("SELECT pg_get_indexdef(to_regclass('" + h.schema() + "." + name + "'))");
    }

    @Test
    void createIndexWithEveryOptionIsBuiltConcurrentlyAndRolledBack() {
        String before = h.fingerprint();
        String yaml =
                """
                operations:
                  - create_index: {name: idx_partial, table: fruits, columns: [{column: id}], predicate: id > 10}
                  - create_index: {name: idx_hash, table: fruits, columns: [{column: name}], method: hash, storage_parameters: fillfactor = 70}
                  - create_index:
                      name: idx_sorted
                      table: fruits
                      unique: true
                      columns:
                        - {column: name, sort: DESC, nulls: LAST, collate: C}
                        - {column: price, opclass: {name: int4_ops}}
                """;
        h.start("02_indexes", yaml);
        assertThat(indexDef("idx_partial")).endsWith("USING btree (id) WHERE (id > 10)");
        assertThat(indexDef("idx_hash")).endsWith("USING hash (name) WITH (fillfactor='70')");
        assertThat(indexDef("idx_sorted"))
                .startsWith("CREATE UNIQUE INDEX idx_sorted")
                .endsWith("USING btree (name COLLATE \"C\" DESC NULLS LAST, price)");
        assertThat(h.db().queryValue("SELECT bool_and(indisvalid) FROM pg_index WHERE indrelid = '" + h.schema()
                        + ".fruits'::regclass"))
                .isEqualTo("t");
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);

        h.start("02_indexes", yaml);
        h.pgroll().complete();
        assertThat(indexDef("idx_partial")).isNotNull();
        h.assertNoTemporaryObjects();
    }

    @Test
    void indexOnAColumnAddedInTheSameMigrationFollowsItsRename() {
        h.start(
                "02_color",
                """
                operations:
                  - add_column: {table: fruits, column: {name: color, type: text, nullable: true}}
                  - create_index: {name: idx_color, table: fruits, columns: [{column: color}], predicate: color IS NOT NULL}
                """);
        assertThat(indexDef("idx_color")).endsWith("(_pgroll_new_color) WHERE (_pgroll_new_color IS NOT NULL)");
        h.pgroll().complete();
        assertThat(indexDef("idx_color")).endsWith("(color) WHERE (color IS NOT NULL)");
    }

    @Test
    void dropIndexWaitsForComplete() {
        h.startAndComplete(
                "02_index",
                "operations:\n  - create_index: {name: idx_name, table: fruits, columns: [{column: name}]}\n");
        String before = h.fingerprint();
        String drop = "operations:\n  - drop_index: {name: idx_name}\n";
        h.start("03_drop", drop);
        assertThat(indexDef("idx_name")).as("the old version may still use it").isNotNull();
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);
        h.start("03_drop", drop);
        h.pgroll().complete();
        assertThat(indexDef("idx_name")).isNull();
    }

    @Test
    void renameConstraintAndReplicaIdentityApplyAtComplete() {
        String before = h.fingerprint();
        String yaml =
                """
                operations:
                  - rename_constraint: {table: fruits, from: name_length, to: name_length_check}
                  - set_replica_identity: {table: fruits, identity: {type: index, index: fruits_pkey}}
                """;
        h.start("02_rename", yaml);
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);
        h.start("02_rename", yaml);
        h.pgroll().complete();
        assertThat(h.db().queryValue(
                                "SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE contype <> 'n' AND conrelid = '"
                                        + h.schema() + ".fruits'::regclass"))
                .isEqualTo("fruits_pkey,name_length_check");
        assertThat(h.db().queryValue(
                                "SELECT relreplident FROM pg_class WHERE oid = '" + h.schema() + ".fruits'::regclass"))
                .isEqualTo("i");
    }

    @Test
    void sqlRunsUpAtStartDownAtRollbackAndOnCompleteAtComplete() throws SQLException {
        String before = h.fingerprint();
        String yaml =
                """
                operations:
                  - sql:
                      up: CREATE TABLE users (id int PRIMARY KEY, name text)
                      down: DROP TABLE users
                """;
        h.start("02_sql", yaml);
        try (Connection v2 = h.version("02_sql")) {
            exec(v2, "INSERT INTO users VALUES (1, 'Ada')");
            assertThat(rows(v2, "SELECT name FROM users")).containsExactly(List.of("Ada"));
        }
        h.pgroll().rollback();
        assertThat(h.fingerprint()).isEqualTo(before);

        h.start("02_sql", yaml);
        h.pgroll().complete();
        h.start(
                "03_on_complete",
                """
                operations:
                  - sql:
                      up: ALTER TABLE users ADD COLUMN born date
                      onComplete: true
                """);
        assertThat(h.db().queryValue("SELECT count(*) FROM pg_attribute WHERE attrelid = '" + h.schema()
                        + ".users'::regclass AND attname = 'born'"))
                .isEqualTo("0");
        h.pgroll().complete();
        assertThat(h.db().queryValue("SELECT count(*) FROM pg_attribute WHERE attrelid = '" + h.schema()
                        + ".users'::regclass AND attname = 'born'"))
                .isEqualTo("1");
    }
}
