package io.pgroll.engine.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class SchemaReaderTest {
    private static final String STATE = "pgroll_test_state";

    @BeforeAll
    static void createSchema(TestDatabase db) {
        db.execute(
                "CREATE SCHEMA " + STATE,
                SchemaReader.functionSql(STATE),
                "CREATE SCHEMA app",
                "CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy')",
                """
                CREATE TABLE app.users (
                    id serial PRIMARY KEY,
                    email text NOT NULL,
                    name text DEFAULT 'anonymous',
                    mood app.mood,
                    nickname varchar(40),
                    CONSTRAINT users_email_key UNIQUE (email)
                )""",
                "COMMENT ON TABLE app.users IS 'people who log in'",
                "COMMENT ON COLUMN app.users.email IS 'where to write'",
                "CREATE UNIQUE INDEX users_nickname_idx ON app.users (nickname)",
                "CREATE INDEX users_name_partial_idx ON app.users (name) WHERE name <> 'anonymous'",
                "CREATE INDEX users_name_hash_idx ON app.users USING hash (name)",
                "CREATE TABLE app.groups (id integer, region text, PRIMARY KEY (id, region))",
                """
                CREATE TABLE app.memberships (
                    user_id integer NOT NULL,
                    group_id integer NOT NULL,
                    region text,
                    since date,
                    PRIMARY KEY (group_id, user_id),
                    CONSTRAINT memberships_user_fk FOREIGN KEY (user_id) REFERENCES app.users (id)
                        ON DELETE CASCADE ON UPDATE RESTRICT,
                    CONSTRAINT memberships_group_fk FOREIGN KEY (group_id, region) REFERENCES app.groups (id, region)
                        MATCH FULL ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
                    CONSTRAINT memberships_since_check CHECK (since > DATE '2000-01-01') NO INHERIT
                )""",
                """
                CREATE TABLE app.bookings (
                    id bigint GENERATED ALWAYS AS IDENTITY,
                    room integer NOT NULL,
                    during tsrange,
                    price_cents integer,
                    price numeric GENERATED ALWAYS AS (price_cents / 100.0) STORED,
                    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&) WHERE (room > 0)
                )""",
                "CREATE UNIQUE INDEX bookings_id_idx ON app.bookings (id)",
                "ALTER TABLE app.bookings REPLICA IDENTITY USING INDEX bookings_id_idx",
                "CREATE TABLE app.\"MyTable\" (\"Id\" integer PRIMARY KEY, \"my column\" text)",
                "CREATE TABLE app.evolving (a integer, b integer, c integer)",
                "ALTER TABLE app.evolving DROP COLUMN b",
                "ALTER TABLE app.evolving ADD COLUMN d integer",
                "CREATE TABLE app.schedules (starts_at timestamptz DEFAULT '2026-01-01 12:00:00+00')",
                "CREATE TABLE app.readings (id integer, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE app.readings_2026 PARTITION OF app.readings"
                        + " FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "CREATE TABLE app.reading_notes (reading_id integer, reading_at date, CONSTRAINT notes_reading_fk"
                        + " FOREIGN KEY (reading_id, reading_at) REFERENCES app.readings)",
                "CREATE VIEW app.not_a_table AS SELECT 1 AS one");
    }

    private static CatalogSchema read(TestDatabase db, String schema) throws SQLException {
        try (Connection c = db.connect()) {
            return SchemaReader.read(c, STATE, schema);
        }
    }

    @Test
    void listsTheTablesOfTheSchemaByName(TestDatabase db) throws SQLException {
        CatalogSchema schema = read(db, "app");

        assertThat(schema.name()).isEqualTo("app");
        assertThat(schema.tables().keySet())
                .containsExactly(
                        "MyTable",
                        "bookings",
                        "evolving",
                        "groups",
                        "memberships",
                        "reading_notes",
                        "readings",
                        "readings_2026",
                        "schedules",
                        "users");
        assertThat(schema.table("not_a_table")).isEmpty();
        CatalogTable users = schema.table("users").orElseThrow();
        assertThat(users.oid()).isEqualTo(Long.parseLong(db.queryValue("SELECT 'app.users'::regclass::oid::text")));
    }

    @Test
    void readsColumns(TestDatabase db) throws SQLException {
        CatalogTable users = read(db, "app").table("users").orElseThrow();

        assertThat(users.name()).isEqualTo("users");
        assertThat(users.comment()).isEqualTo("people who log in");
        assertThat(users.columns().keySet()).containsExactly("id", "email", "name", "mood", "nickname");
        assertThat(users.column("id").orElseThrow())
                .isEqualTo(new CatalogColumn(
                        "id",
                        "integer",
                        "nextval('users_id_seq'::regclass)",
                        false,
                        true,
                        null,
                        null,
                        "base",
                        1,
                        null,
                        null,
                        null));
        assertThat(users.column("email").orElseThrow())
                .isEqualTo(new CatalogColumn(
                        "email", "text", null, false, true, "where to write", null, "base", 2, null, null, null));
        assertThat(users.column("name").orElseThrow())
                .isEqualTo(new CatalogColumn(
                        "name", "text", "'anonymous'::text", true, false, null, null, "base", 3, null, null, null));
        assertThat(users.column("mood").orElseThrow())
                .isEqualTo(new CatalogColumn(
                        "mood",
                        "mood",
                        null,
                        true,
                        false,
                        null,
                        List.of("sad", "ok", "happy"),
                        "enum",
                        4,
                        null,
                        null,
                        null));
        assertThat(users.column("nickname").orElseThrow())
                .isEqualTo(new CatalogColumn(
                        "nickname",
                        "character varying(40)",
                        null,
                        true,
                        true,
                        null,
                        null,
                        "base",
                        5,
                        null,
                        null,
                        null));
        assertThat(users.column("missing")).isEmpty();
    }

    @Test
    void readsPrimaryKeysInKeyOrder(TestDatabase db) throws SQLException {
        CatalogSchema schema = read(db, "app");

        assertThat(schema.table("users").orElseThrow().primaryKey()).containsExactly("id");
        assertThat(schema.table("users").orElseThrow().primaryKeyName()).isEqualTo("users_pkey");
        assertThat(schema.table("memberships").orElseThrow().primaryKey()).containsExactly("group_id", "user_id");
        assertThat(schema.table("evolving").orElseThrow().primaryKey()).isEmpty();
        assertThat(schema.table("evolving").orElseThrow().primaryKeyName()).isNull();
    }

    @Test
    void readsIndexes(TestDatabase db) throws SQLException {
        CatalogTable users = read(db, "app").table("users").orElseThrow();

        assertThat(users.indexes().keySet())
                .containsExactly(
                        "users_email_key",
                        "users_name_hash_idx",
                        "users_name_partial_idx",
                        "users_nickname_idx",
                        "users_pkey");
        assertThat(users.indexes().get("users_pkey"))
                .isEqualTo(new Index(
                        "users_pkey",
                        true,
                        List.of("id"),
                        null,
                        "btree",
                        "CREATE UNIQUE INDEX users_pkey ON app.users USING btree (id)",
                        false));
        assertThat(users.indexes().get("users_nickname_idx"))
                .isEqualTo(new Index(
                        "users_nickname_idx",
                        true,
                        List.of("nickname"),
                        null,
                        "btree",
                        "CREATE UNIQUE INDEX users_nickname_idx ON app.users USING btree (nickname)",
                        false));
        assertThat(users.indexes().get("users_name_partial_idx"))
                .isEqualTo(new Index(
                        "users_name_partial_idx",
                        false,
                        List.of("name"),
                        "(name <> 'anonymous'::text)",
                        "btree",
                        "CREATE INDEX users_name_partial_idx ON app.users USING btree (name)"
                                + " WHERE (name <> 'anonymous'::text)",
                        false));
        assertThat(users.indexes().get("users_name_hash_idx"))
                .isEqualTo(new Index(
                        "users_name_hash_idx",
                        false,
                        List.of("name"),
                        null,
                        "hash",
                        "CREATE INDEX users_name_hash_idx ON app.users USING hash (name)",
                        false));
    }

    @Test
    void readsUniqueAndCheckConstraints(TestDatabase db) throws SQLException {
        CatalogSchema schema = read(db, "app");
        CatalogTable users = schema.table("users").orElseThrow();
        CatalogTable memberships = schema.table("memberships").orElseThrow();

        assertThat(users.uniqueConstraints())
                .containsExactly(
                        Map.entry("users_email_key", new UniqueConstraint("users_email_key", List.of("email"))));
        assertThat(users.checkConstraints()).isEmpty();
        assertThat(memberships.checkConstraints().get("memberships_since_check"))
                .isEqualTo(new CatalogCheckConstraint(
                        "memberships_since_check",
                        List.of("since"),
                        "CHECK ((since > '2000-01-01'::date)) NO INHERIT",
                        true));
    }

    @Test
    void readsForeignKeys(TestDatabase db) throws SQLException {
        CatalogTable memberships = read(db, "app").table("memberships").orElseThrow();

        assertThat(memberships.foreignKeys().keySet()).containsExactly("memberships_group_fk", "memberships_user_fk");
        assertThat(memberships.foreignKeys().get("memberships_user_fk"))
                .isEqualTo(new ForeignKey(
                        "memberships_user_fk",
                        List.of("user_id"),
                        "users",
                        List.of("id"),
                        "CASCADE",
                        "RESTRICT",
                        "SIMPLE"));
        assertThat(memberships.foreignKeys().get("memberships_group_fk"))
                .isEqualTo(new ForeignKey(
                        "memberships_group_fk",
                        List.of("group_id", "region"),
                        "groups",
                        List.of("id", "region"),
                        "SET NULL",
                        "NO ACTION",
                        "FULL",
                        true,
                        true));
    }

    @Test
    void readsExclusionConstraintsIdentityAndGeneratedColumnsAndReplicaIdentity(TestDatabase db) throws SQLException {
        CatalogTable bookings = read(db, "app").table("bookings").orElseThrow();

        assertThat(bookings.excludeConstraints().get("bookings_no_overlap"))
                .isEqualTo(new ExcludeConstraint(
                        "bookings_no_overlap",
                        "gist",
                        "(room > 0)",
                        "EXCLUDE USING gist (during WITH &&) WHERE ((room > 0))"));
        Index exclusionIndex = bookings.indexes().get("bookings_no_overlap");
        assertThat(exclusionIndex.exclusionConstraint()).isTrue();
        assertThat(exclusionIndex.method()).isEqualTo("gist");
        assertThat(exclusionIndex.columns()).containsExactly("during");
        assertThat(bookings.column("id").orElseThrow())
                .isEqualTo(
                        new CatalogColumn("id", "bigint", null, false, true, null, null, "base", 1, "a", null, null));
        assertThat(bookings.column("price").orElseThrow())
                .isEqualTo(new CatalogColumn(
                        "price",
                        "numeric",
                        null,
                        true,
                        false,
                        null,
                        null,
                        "base",
                        5,
                        null,
                        "s",
                        "((price_cents)::numeric / 100.0)"));
        assertThat(bookings.column("during").orElseThrow().postgresType()).isEqualTo("range");
        assertThat(bookings.replicaIdentity()).isEqualTo("i");
        assertThat(bookings.replicaIdentityIndex()).isEqualTo("bookings_id_idx");
        CatalogTable users = read(db, "app").table("users").orElseThrow();
        assertThat(users.replicaIdentity()).isEqualTo("d");
        assertThat(users.replicaIdentityIndex()).isNull();
    }

    @Test
    void aForeignKeyToAPartitionedTableIsReadOnce(TestDatabase db) throws SQLException {
        CatalogSchema schema = read(db, "app");

        assertThat(schema.table("reading_notes").orElseThrow().foreignKeys())
                .containsOnlyKeys("notes_reading_fk")
                .extractingByKey("notes_reading_fk")
                .isEqualTo(new ForeignKey(
                        "notes_reading_fk",
                        List.of("reading_id", "reading_at"),
                        "readings",
                        List.of("id", "at"),
                        "NO ACTION",
                        "NO ACTION",
                        "SIMPLE"));
        assertThat(schema.table("readings").orElseThrow().primaryKey()).containsExactly("id", "at");
        assertThat(schema.table("readings_2026").orElseThrow().primaryKey()).containsExactly("id", "at");
    }

    @Test
    void namesAreKeptExactly(TestDatabase db) throws SQLException {
        CatalogTable myTable = read(db, "app").table("MyTable").orElseThrow();

        assertThat(myTable.name()).isEqualTo("MyTable");
        assertThat(myTable.columns().keySet()).containsExactly("Id", "my column");
        assertThat(myTable.primaryKey()).containsExactly("Id");
        assertThat(myTable.indexes().get("MyTable_pkey").definition())
                .isEqualTo("CREATE UNIQUE INDEX \"MyTable_pkey\" ON app.\"MyTable\" USING btree (\"Id\")");
    }

    @Test
    void keepsColumnOrderAfterADroppedColumn(TestDatabase db) throws SQLException {
        CatalogTable evolving = read(db, "app").table("evolving").orElseThrow();

        assertThat(evolving.columns().keySet()).containsExactly("a", "c", "d");
        assertThat(evolving.columns().values().stream().map(CatalogColumn::position))
                .containsExactly(1, 3, 4);
    }

    @Test
    void knowsConstraintsOfEveryKind(TestDatabase db) throws SQLException {
        CatalogSchema schema = read(db, "app");
        CatalogTable memberships = schema.table("memberships").orElseThrow();

        assertThat(memberships.constraintNames())
                .containsExactly(
                        "memberships_group_fk", "memberships_pkey", "memberships_since_check", "memberships_user_fk");
        assertThat(memberships.hasConstraint("memberships_pkey")).isTrue();
        assertThat(memberships.hasConstraint("memberships_since_check")).isTrue();
        assertThat(memberships.hasConstraint("nope")).isFalse();
        assertThat(schema.table("users").orElseThrow().hasConstraint("users_email_key"))
                .isTrue();
        assertThat(schema.table("bookings").orElseThrow().hasConstraint("bookings_no_overlap"))
                .isTrue();
        // a bare unique index is not a constraint
        assertThat(schema.table("users").orElseThrow().hasConstraint("users_nickname_idx"))
                .isFalse();
    }

    @Test
    void aSchemaThatDoesNotExistHasNoTables(TestDatabase db) throws SQLException {
        CatalogSchema schema = read(db, "no_such_schema");

        assertThat(schema.name()).isEqualTo("no_such_schema");
        assertThat(schema.tables()).isEmpty();
    }

    @Test
    void rendersTheSameWhateverTheCallersSearchPathAndRestoresIt(TestDatabase db) throws SQLException {
        try (Connection c = db.connect();
                Statement st = c.createStatement()) {
            st.execute("SET search_path = public");
            st.execute("SET TimeZone = 'Asia/Tokyo'");
            CatalogSchema fromPublic = SchemaReader.read(c, STATE, "app");
            assertThat(show(st)).isEqualTo("public");

            c.setAutoCommit(false);
            st.execute("SET search_path = app, public");
            CatalogSchema fromApp = SchemaReader.read(c, STATE, "app");
            assertThat(show(st)).isEqualTo("app, public");
            c.rollback();

            assertThat(fromApp).isEqualTo(fromPublic);
            assertThat(fromPublic
                            .table("users")
                            .orElseThrow()
                            .column("mood")
                            .orElseThrow()
                            .type())
                    .isEqualTo("mood");
        }
    }

    private static String show(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW search_path")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void functionSqlQuotesTheStateSchema() {
        assertThat(SchemaReader.functionSql("pgroll"))
                .contains("CREATE OR REPLACE FUNCTION \"pgroll\".read_schema(schemaname text) RETURNS jsonb")
                .doesNotContain("{state_schema}");
        assertThat(SchemaReader.functionSql("we\"ird")).contains("\"we\"\"ird\".read_schema(");
    }

    @Test
    void parsesDocumentsWrittenByOlderPgroll() {
        CatalogSchema schema = SchemaReader.parse(
                """
                {"name": "public", "tables": {"t": {"oid": 16390, "name": "t", "comment": null,
                  "columns": {"id": {"name": "id", "type": "integer", "default": null, "nullable": false,
                                     "unique": true, "comment": null}},
                  "primaryKey": ["id"],
                  "indexes": {"t_pkey": {"name": "t_pkey", "unique": true, "columns": ["id"]}},
                  "foreignKeys": {}, "checkConstraints": {}, "uniqueConstraints": {}}}}""");

        CatalogTable t = schema.table("t").orElseThrow();
        assertThat(t.oid()).isEqualTo(16390L);
        assertThat(t.column("id").orElseThrow().nullable()).isFalse();
        assertThat(t.indexes().get("t_pkey").columns()).containsExactly("id");
        assertThat(t.excludeConstraints()).isEmpty();
        assertThat(t.replicaIdentity()).isNull();
    }

    @Test
    void parseResultIsImmutable(TestDatabase db) throws SQLException {
        CatalogTable users = read(db, "app").table("users").orElseThrow();

        assertThatThrownBy(() -> users.columns().remove("id")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> users.primaryKey().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
