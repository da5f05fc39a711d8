package io.pgroll.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.Status;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.testing.CatalogFingerprint;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.Rows;
import io.pgroll.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation kind, in every phase, on tables, columns, indexes and constraints whose names hold
 * quotes, spaces and capitals, unicode, reserved words, or exactly 63 bytes; each version reached
 * through the driver's pin (schema and version given as connection properties), written and read in
 * both directions. Four migrations: create; add, alter, index, check; rename table, column and
 * constraint, drop index, column and table, replica identity, raw SQL; a type change and a dropped
 * constraint. After each start: both versions; after rollback: the catalog as before and every row;
 * started again and completed: the final shape, nothing temporary left.
 */
@ExtendWith(PostgresExtension.class)
class HostileIdentifiersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The names of one flavour; {@code schema} is short enough for {@code <schema>_<migration>}. */
    record Names(
            String flavour,
            String schema,
            String table,
            String renamedTable,
            String other,
            String a,
            String b,
            String renamedB,
            String c,
            String index,
            String check,
            String renamedCheck,
            String rawTable) {
        static Names of(String flavour, String schema, UnaryOperator<String> name) {
            return new Names(
                    flavour,
                    schema,
                    name.apply("orders"),
                    name.apply("purchases"),
                    name.apply("other"),
                    name.apply("label"),
                    name.apply("amount"),
                    name.apply("total"),
                    name.apply("size"),
                    name.apply("by_amount"),
                    name.apply("amount_positive"),
                    name.apply("total_positive"),
                    name.apply("made_by_sql"));
        }

        @Override
        public String toString() {
            return flavour;
        }
    }

    static Stream<Arguments> flavours() {
        Map<String, String> reserved = Map.ofEntries(
                Map.entry("orders", "order"),
                Map.entry("purchases", "group"),
                Map.entry("other", "table"),
                Map.entry("label", "select"),
                Map.entry("amount", "from"),
                Map.entry("total", "where"),
                Map.entry("size", "user"),
                Map.entry("by_amount", "index"),
                Map.entry("amount_positive", "check"),
                Map.entry("total_positive", "constraint"),
                Map.entry("made_by_sql", "limit"));
        return Stream.of(
                        Names.of("quotes", "q\"s'", n -> n + "\"q'd"),
                        Names.of("spaces and capitals", "My Shop", n -> "The " + capitalised(n) + " Thing"),
                        Names.of("unicode", "ünï", n -> n + "_été_名前"),
                        Names.of("reserved words", "select", reserved::get),
                        Names.of("63 bytes", "long", HostileIdentifiersTest::sixtyThreeBytes))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavours")
    void everyOperationInEveryPhaseThroughThePin(Names n, TestDatabase db) throws Exception {
        db.execute("CREATE SCHEMA " + q(n.schema()));
        Pgroll pgroll = Pgroll.configure()
                .dataSource(db.dataSource())
                .schema(n.schema())
                .backfillBatchSize(10)
                .load();
        pgroll.init();

        start(
                pgroll,
                "01_create",
                List.of(
                        createTable(n.table(), List.of(column(n.a(), "text", true), column(n.b(), "integer", true))),
                        createTable(n.other(), List.of(column("note", "text", true)))));
        pgroll.complete();
        try (Connection v1 = pin(db, n, "01_create")) {
            Rows.exec(
                    v1,
                    "INSERT INTO " + q(n.table()) + " (" + q(n.a()) + ", " + q(n.b()) + ") VALUES ('one', 1),"
                            + " (NULL, 2), ('three', NULL)");
        }

        String add = "02_add";
        List<Object> second = List.of(
                op(
                        "add_column",
                        Map.of(
                                "table", n.table(),
                                "up", "coalesce(length(" + q(n.a()) + "), 0)",
                                "column", column(n.c(), "integer", false))),
                op(
                        "alter_column",
                        Map.of(
                                "table", n.table(),
                                "column", n.a(),
                                "nullable", false,
                                "up", "coalesce(" + q(n.a()) + ", 'none')",
                                "down", q(n.a()))),
                op(
                        "create_index",
                        Map.of("name", n.index(), "table", n.table(), "columns", List.of(Map.of("column", n.b())))),
                op(
                        "create_constraint",
                        Map.of(
                                "name", n.check(),
                                "table", n.table(),
                                "type", "check",
                                "columns", List.of(n.b()),
                                "check", q(n.b()) + " > 0",
                                "up", Map.of(n.b(), "greatest(coalesce(" + q(n.b()) + ", 1), 1)"),
                                "down", Map.of(n.b(), q(n.b())))));
        runPhases(db, n, pgroll, "01_create", add, second, (oldVersion, newVersion) -> {
            Rows.exec(
                    oldVersion,
                    "INSERT INTO " + q(n.table()) + " (" + q(n.a()) + ", " + q(n.b()) + ") VALUES (NULL, -5)");
            Rows.exec(
                    newVersion,
                    "INSERT INTO " + q(n.table()) + " (" + q(n.a()) + ", " + q(n.b()) + ", " + q(n.c())
                            + ") VALUES ('new', 7, 3)");
            assertThat(Rows.rows(
                            newVersion,
                            "SELECT " + q(n.a()) + ", " + q(n.b()) + ", " + q(n.c()) + " FROM " + q(n.table())
                                    + " ORDER BY " + q("id")))
                    .containsExactly(
                            List.of("one", "1", "3"),
                            List.of("none", "2", "0"),
                            List.of("three", "1", "5"),
                            List.of("none", "1", "0"),
                            List.of("new", "7", "3"));
            assertThat(Rows.rows(
                            oldVersion,
                            "SELECT coalesce(" + q(n.a()) + ", '-'), coalesce(" + q(n.b()) + "::text, '-') FROM "
                                    + q(n.table()) + " ORDER BY " + q("id")))
                    .containsExactly(
                            List.of("one", "1"),
                            List.of("-", "2"),
                            List.of("three", "-"),
                            List.of("-", "-5"),
                            List.of("new", "7"));
        });
        assertThat(db.queryValue("SELECT count(*) FROM pg_indexes WHERE schemaname = " + literal(n.schema())
                        + " AND indexname = " + literal(n.index())))
                .isEqualTo("1");

        String rename = "03_rename";
        List<Object> third = List.of(
                op("rename_table", Map.of("from", n.table(), "to", n.renamedTable())),
                op("rename_column", Map.of("table", n.renamedTable(), "from", n.b(), "to", n.renamedB())),
                op("rename_constraint", Map.of("table", n.renamedTable(), "from", n.check(), "to", n.renamedCheck())),
                op("drop_index", Map.of("name", n.index())),
                op("set_replica_identity", Map.of("table", n.renamedTable(), "identity", Map.of("type", "full"))),
                op(
                        "drop_column",
                        Map.of("table", n.renamedTable(), "column", n.c(), "down", "length(" + q(n.a()) + ")")),
                op("drop_table", Map.of("name", n.other())),
                op(
                        "sql",
                        Map.of(
                                "up", "CREATE TABLE " + q(n.rawTable()) + " (" + q(n.a()) + " text)",
                                "down", "DROP TABLE " + q(n.rawTable()))));
        runPhases(db, n, pgroll, add, rename, third, (oldVersion, newVersion) -> {
            Rows.exec(
                    oldVersion,
                    "INSERT INTO " + q(n.table()) + " (" + q(n.a()) + ", " + q(n.b()) + ", " + q(n.c())
                            + ") VALUES ('older', 8, 1)");
            Rows.exec(
                    newVersion,
                    "INSERT INTO " + q(n.renamedTable()) + " (" + q(n.a()) + ", " + q(n.renamedB())
                            + ") VALUES ('newer', 9)");
            assertThat(Rows.rows(
                            oldVersion,
                            "SELECT " + q(n.c()) + " FROM " + q(n.table()) + " WHERE " + q(n.a()) + " = 'newer'"))
                    .containsExactly(List.of("5"));
            assertThat(Rows.value(newVersion, "SELECT sum(" + q(n.renamedB()) + ") FROM " + q(n.renamedTable())))
                    .isEqualTo(Rows.value(oldVersion, "SELECT sum(" + q(n.b()) + ") FROM " + q(n.table())));
            assertThat(Rows.value(newVersion, "SELECT count(*) FROM " + q(n.rawTable())))
                    .isEqualTo("0");
        });
        assertThat(db.queryValue("SELECT relreplident FROM pg_class WHERE oid = "
                        + literal(qualified(n, n.renamedTable())) + "::regclass"))
                .isEqualTo("f");

        String retype = "04_retype";
        List<Object> fourth = List.of(
                op(
                        "alter_column",
                        Map.of(
                                "table",
                                n.renamedTable(),
                                "column",
                                n.a(),
                                "type",
                                "varchar(300)",
                                "up",
                                q(n.a()) + "::varchar(300)",
                                "down",
                                q(n.a()) + "::text")),
                op(
                        "drop_constraint",
                        Map.of(
                                "table", n.renamedTable(),
                                "name", n.renamedCheck(),
                                "up", q(n.renamedB()),
                                "down", "greatest(coalesce(" + q(n.renamedB()) + ", 1), 1)")));
        runPhases(db, n, pgroll, rename, retype, fourth, (oldVersion, newVersion) -> {
            Rows.exec(
                    newVersion,
                    "INSERT INTO " + q(n.renamedTable()) + " (" + q(n.a()) + ", " + q(n.renamedB())
                            + ") VALUES ('negative', -1)");
            Rows.exec(
                    oldVersion,
                    "INSERT INTO " + q(n.renamedTable()) + " (" + q(n.a()) + ", " + q(n.renamedB())
                            + ") VALUES ('positive', 2)");
            assertThat(Rows.value(
                            oldVersion,
                            "SELECT " + q(n.renamedB()) + " FROM " + q(n.renamedTable()) + " WHERE " + q(n.a())
                                    + " = 'negative'"))
                    .isEqualTo("1");
            assertThat(Rows.value(
                            newVersion,
                            "SELECT " + q(n.renamedB()) + " FROM " + q(n.renamedTable()) + " WHERE " + q(n.a())
                                    + " = 'negative'"))
                    .isEqualTo("-1");
        });
        assertThat(db.queryValue("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                        + literal(qualified(n, n.renamedTable())) + "::regclass AND attname = " + literal(n.a())))
                .isEqualTo("character varying(300)");
        assertThat(pgroll.status().state()).isEqualTo(Status.State.COMPLETE);
        assertThat(db.queryValue("SELECT count(*) FROM " + qualified(n, n.renamedTable())))
                .isEqualTo("9");
    }

    /** What a test checks while a migration is active, through a connection pinned to each version. */
    interface BothVersions {
        void check(Connection oldVersion, Connection newVersion) throws SQLException;
    }

    /**
     * Start; check both versions (what they write is committed); roll back: the catalog as before
     * start, and through the previous version every row as it was just before the rollback; start
     * again, both versions see the same rows; complete: nothing temporary left.
     */
    private static void runPhases(
            TestDatabase db,
            Names n,
            Pgroll pgroll,
            String previous,
            String name,
            List<Object> operations,
            BothVersions check)
            throws Exception {
        String fingerprint = fingerprint(db);
        String previousSchema = n.schema() + "_" + previous;
        start(pgroll, name, operations);
        try (Connection oldVersion = pin(db, n, previous);
                Connection newVersion = pin(db, n, name)) {
            assertThat(Rows.value(newVersion, "SELECT current_schema()")).isEqualTo(n.schema() + "_" + name);
            check.check(oldVersion, newVersion);
        }
        String rows = rowsThrough(db, previousSchema);
        pgroll.rollback();
        assertThat(fingerprint(db))
                .as(n + ": catalog after rolling back " + name)
                .isEqualTo(fingerprint);
        assertThat(rowsThrough(db, previousSchema))
                .as(n + ": rows after rolling back " + name)
                .isEqualTo(rows);

        start(pgroll, name, operations);
        try (Connection oldVersion = pin(db, n, previous);
                Connection newVersion = pin(db, n, name)) {
            String oldTable = views(db, previousSchema).contains(n.table()) ? n.table() : n.renamedTable();
            String newTable = views(db, n.schema() + "_" + name).contains(n.table()) ? n.table() : n.renamedTable();
            assertThat(Rows.value(newVersion, "SELECT count(*) FROM " + q(newTable)))
                    .isEqualTo(Rows.value(oldVersion, "SELECT count(*) FROM " + q(oldTable)));
        }
        pgroll.complete();
        assertThat(db.query("SELECT relname FROM pg_class WHERE relnamespace = " + literal(q(n.schema()))
                        + "::regnamespace AND relname LIKE '\\_pgroll\\_%' UNION ALL SELECT attname FROM pg_attribute"
                        + " a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = " + literal(q(n.schema()))
                        + "::regnamespace AND attname LIKE '\\_pgroll\\_%' AND NOT attisdropped UNION ALL SELECT"
                        + " tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = "
                        + literal(q(n.schema())) + "::regnamespace AND tgname LIKE '\\_pgroll\\_%'"))
                .as(n + ": temporary objects after completing " + name)
                .isEmpty();
        try (Connection newVersion = pin(db, n, name)) {
            assertThat(Rows.value(newVersion, "SELECT current_schema()")).isEqualTo(n.schema() + "_" + name);
        }
    }

    private static void start(Pgroll pgroll, String name, List<Object> operations) throws JsonProcessingException {
        String json = JSON.writeValueAsString(Map.of("operations", operations));
        pgroll.start(MigrationReader.readContent(name + ".json", json));
    }

    private static Connection pin(TestDatabase db, Names n, String version) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        props.setProperty("password", db.password());
        props.setProperty("pgrollSchema", n.schema());
        props.setProperty("pgrollVersion", version);
        return new PgrollDriver().connect("jdbc:pgroll:" + db.jdbcUrl().substring("jdbc:".length()), props);
    }

    private static String fingerprint(TestDatabase db) throws SQLException {
        try (Connection c = db.connect()) {
            return CatalogFingerprint.of(c, "pgroll");
        }
    }

    /** Every row of every view of a version schema, as text. */
    private static String rowsThrough(TestDatabase db, String versionSchema) {
        StringBuilder all = new StringBuilder();
        for (String view : views(db, versionSchema)) {
            all.append(view).append(": ");
            all.append(db.query("SELECT t::text FROM " + q(versionSchema) + "." + q(view) + " t ORDER BY 1"));
            all.append('\n');
        }
        return all.toString();
    }

    private static List<String> views(TestDatabase db, String versionSchema) {
        return db
                .query("SELECT relname FROM pg_class WHERE relkind = 'v' AND relnamespace = "
                        + literal(q(versionSchema)) + "::regnamespace ORDER BY relname")
                .stream()
                .map(row -> row.get(0))
                .toList();
    }

    private static Map<String, Object> op(String kind, Map<String, Object> fields) {
        return Map.of(kind, fields);
    }

    private static Map<String, Object> createTable(String name, List<Map<String, Object>> columns) {
        List<Object> all = new ArrayList<>();
        all.add(Map.of("name", "id", "type", "serial", "pk", true));
        all.addAll(columns);
        return op("create_table", Map.of("name", name, "columns", all));
    }

    private static Map<String, Object> column(String name, String type, boolean nullable) {
        Map<String, Object> column = new LinkedHashMap<>();
        column.put("name", name);
        column.put("type", type);
        column.put("nullable", nullable);
        return column;
    }

    private static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1).replace('_', ' ');
    }

    /** The word, then 'é's (two bytes each) and an 'x' where needed, to exactly 63 bytes. */
    private static String sixtyThreeBytes(String word) {
        StringBuilder name = new StringBuilder(word).append('_');
        while (name.toString().getBytes(StandardCharsets.UTF_8).length < 62) {
            name.append('é');
        }
        if (name.toString().getBytes(StandardCharsets.UTF_8).length < 63) {
            name.append('x');
        }
        return name.toString();
    }

    private static String q(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String qualified(Names n, String table) {
        return q(n.schema()) + "." + q(table);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
