package io.pgroll.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tri-state fields of alter_column, and the JSON the state store keeps. */
class ToJsonTest {

    private static AlterColumn alter(String changes) {
        String yaml = "operations:\n  - alter_column:\n      table: tickets\n      column: ticket_type\n"
                + "      up: ticket_type\n      down: ticket_type\n" + changes;
        return (AlterColumn)
                MigrationReader.read(yaml, "m", "m.yaml").operations().get(0);
    }

    @Test
    void alterColumnDefaultAndCommentAreTriState() {
        AlterColumn absent = alter("      nullable: true\n");
        assertThat(absent.defaultValue()).isNull();
        assertThat(absent.comment()).isNull();

        AlterColumn explicitNull = alter("      default: null\n      comment: ~\n");
        assertThat(explicitNull.defaultValue()).isEmpty();
        assertThat(explicitNull.comment()).isEmpty();
        assertThat(explicitNull.hasChanges()).isTrue();

        AlterColumn value = alter("      default: \"'paper'\"\n      comment: the ticket type\n");
        assertThat(value.defaultValue()).contains("'paper'");
        assertThat(value.comment()).contains("the ticket type");

        assertThat(MigrationReader.toJson(new Migration("m", null, List.of(absent))))
                .doesNotContain("default", "comment");
        assertThat(MigrationReader.toJson(new Migration("m", null, List.of(explicitNull))))
                .contains("\"default\":null", "\"comment\":null");
        assertThat(MigrationReader.toJson(new Migration("m", null, List.of(value))))
                .contains("\"default\":\"'paper'\"", "\"comment\":\"the ticket type\"");
        for (AlterColumn op : List.of(absent, explicitNull, value)) {
            Migration m = new Migration("m", null, List.of(op));
            assertThat(MigrationReader.readDocument(MigrationReader.toJson(m), "m.json"))
                    .isEqualTo(m);
        }
    }

    @Test
    void commentMustBeAStringOrNull() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> alter("      comment: 3\n"))
                .hasMessage("m.yaml: operation 1 (alter_column \"tickets\".\"ticket_type\"): field \"comment\" must be"
                        + " a string or null, got number 3; quote it: \"3\"");
    }

    @Test
    void toJsonIsCompactInPgrollsNamesWithoutNullsOrFalse() {
        Migration m = new Migration(
                "01_x",
                "v1",
                List.of(
                        new RawSql("SELECT 1", null, true),
                        new AddColumn(
                                "t", new Column("c", "int", false, true, false, "0", null, null, null, null), null),
                        new CreateIndex(
                                "i",
                                "t",
                                List.of(new IndexField("c", null, null, null, null)),
                                null,
                                null,
                                "fillfactor=70",
                                false)));
        assertThat(MigrationReader.toJson(m))
                .isEqualTo("{\"name\":\"01_x\",\"version_schema\":\"v1\",\"operations\":["
                        + "{\"sql\":{\"up\":\"SELECT 1\",\"onComplete\":true}},"
                        + "{\"add_column\":{\"table\":\"t\",\"column\":{\"name\":\"c\",\"type\":\"int\",\"nullable\":true,"
                        + "\"default\":\"0\"}}},"
                        + "{\"create_index\":{\"name\":\"i\",\"table\":\"t\",\"columns\":[{\"column\":\"c\"}],"
                        + "\"storage_parameters\":\"fillfactor=70\"}}]}");
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        Map<String, String> up = new LinkedHashMap<>();
        up.put("b", "b + 1");
        up.put("a", "a");
        ForeignKeyReference fk =
                new ForeignKeyReference("fk", "users", "id", "FULL", "SET NULL", "CASCADE", true, true);
        CheckConstraint check = new CheckConstraint("positive", "c > 0", true);
        TableForeignKeyReference tableFk = new TableForeignKeyReference(
                "users", List.of("id", "org"), "PARTIAL", "SET DEFAULT", "RESTRICT", List.of("a"));
        Migration m = new Migration(
                "everything",
                "everything_v",
                List.of(
                        new CreateTable(
                                "t",
                                List.of(
                                        new Column(
                                                "id",
                                                "bigint",
                                                true,
                                                false,
                                                true,
                                                null,
                                                "the id",
                                                null,
                                                null,
                                                new Generated(null, new Identity("BY DEFAULT", "START 10"))),
                                        new Column("c", "int", false, true, false, "1", null, check, fk, null),
                                        new Column(
                                                "g",
                                                "int",
                                                false,
                                                true,
                                                false,
                                                null,
                                                null,
                                                null,
                                                null,
                                                new Generated("c * 2", null))),
                                "a table",
                                List.of(
                                        new TableConstraint(
                                                "u",
                                                ConstraintType.UNIQUE,
                                                List.of("c"),
                                                true,
                                                true,
                                                true,
                                                false,
                                                null,
                                                null,
                                                null,
                                                new IndexParameters("ts", "fillfactor=70", List.of("g"))),
                                        new TableConstraint(
                                                "ck",
                                                ConstraintType.CHECK,
                                                List.of(),
                                                false,
                                                false,
                                                false,
                                                true,
                                                "c > 0",
                                                null,
                                                null,
                                                null),
                                        new TableConstraint(
                                                "fk",
                                                ConstraintType.FOREIGN_KEY,
                                                List.of("a", "b"),
                                                true,
                                                false,
                                                false,
                                                false,
                                                null,
                                                tableFk,
                                                null,
                                                null),
                                        new TableConstraint(
                                                "x",
                                                ConstraintType.EXCLUDE,
                                                List.of(),
                                                false,
                                                false,
                                                false,
                                                false,
                                                null,
                                                null,
                                                new ExcludeDefinition("gist", "c WITH =", "c > 0"),
                                                null))),
                        new AlterColumn(
                                "t",
                                "c",
                                "bigint",
                                false,
                                Optional.of("2"),
                                Optional.empty(),
                                new UniqueConstraintRef("uq"),
                                check,
                                fk,
                                "c",
                                "c"),
                        new CreateConstraint(
                                "t",
                                "cc",
                                ConstraintType.FOREIGN_KEY,
                                List.of("a", "b"),
                                null,
                                false,
                                new IndexParameters(null, null, List.of()),
                                tableFk,
                                up,
                                up),
                        new DropMultiColumnConstraint("t", "cc", Map.of(), up),
                        new DropConstraint("t", "u", "c", "c"),
                        new SetReplicaIdentity("t", new ReplicaIdentity("index", "t_pkey")),
                        new CreateIndex(
                                "i",
                                "t",
                                List.of(new IndexField(
                                        "c", "C", "DESC", new OpClass("int4_ops", List.of("p")), "FIRST")),
                                "c > 0",
                                "brin",
                                null,
                                true),
                        new DropColumn("t", "g", "0"),
                        new RenameColumn("t", "c", "d"),
                        new RenameConstraint("t", "u", "u2"),
                        new RenameTable("t", "t2"),
                        new DropIndex("i"),
                        new DropTable("t2"),
                        new RawSql("SELECT 1", "SELECT 2", false)));
        String json = MigrationReader.toJson(m);
        Migration back = MigrationReader.readDocument(json, "everything.json");
        assertThat(back).isEqualTo(m);
        assertThat(MigrationReader.toJson(back)).isEqualTo(json);
        assertThat(((CreateConstraint) back.operations().get(2)).up().keySet()).containsExactly("b", "a");
    }

    @Test
    void recordsCopyTheirCollections() {
        List<Operation> ops = new java.util.ArrayList<>(List.of(new DropTable("t")));
        Migration m = new Migration("m", null, ops);
        ops.clear();
        assertThat(m.operations()).hasSize(1);
        assertThat(new Migration("m", null, null).operations()).isEmpty();
        assertThat(new CreateTable("t", null, null, null).columns()).isEmpty();
        assertThat(new CreateConstraint("t", "c", ConstraintType.UNIQUE, null, null, false, null, null, null, null)
                        .up())
                .isEmpty();
    }

    @Test
    void effectiveVersionSchemaDefaultsToTheName() {
        assertThat(new Migration("56_x", "with_version_schema", List.of()).effectiveVersionSchema())
                .isEqualTo("with_version_schema");
        assertThat(new Migration("56_x", null, List.of()).effectiveVersionSchema())
                .isEqualTo("56_x");
    }
}
