package io.pgroll.engine.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.CatalogFingerprint;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class CatalogFingerprintTest {
    @BeforeAll
    static void createSchema(TestDatabase db) {
        db.execute(
                "CREATE SCHEMA app",
                "CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE DOMAIN app.positive AS integer NOT NULL CONSTRAINT positive_check CHECK (VALUE > 0)",
                """
                CREATE TABLE app.users (
                    id serial PRIMARY KEY,
                    email text NOT NULL UNIQUE,
                    name text DEFAULT 'anonymous',
                    mood app.mood,
                    score app.positive
                )""",
                "COMMENT ON TABLE app.users IS 'people who log in'",
                "COMMENT ON COLUMN app.users.email IS 'where to write\nand nothing else'",
                "CREATE INDEX users_name_idx ON app.users (name) WHERE name <> 'anonymous'",
                "CREATE VIEW app.active_users AS SELECT id, email FROM app.users WHERE mood <> 'sad'",
                """
                CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql SET search_path = app AS $$
                BEGIN
                    NEW.name := coalesce(NEW.name, 'anonymous');
                    RETURN NEW;
                END
                $$""",
                "CREATE TRIGGER users_touch BEFORE INSERT ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch()",
                "CREATE TABLE app.events (at timestamptz NOT NULL, kind text) PARTITION BY RANGE (at)",
                "CREATE TABLE app.events_2026 PARTITION OF app.events"
                        + " FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "CREATE UNLOGGED TABLE app.scratch (v text COLLATE \"C\") WITH (fillfactor = 70)",
                "ALTER TABLE app.scratch ALTER COLUMN v SET STORAGE EXTERNAL",
                "ALTER TABLE app.users ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY own_rows ON app.users FOR SELECT TO PUBLIC USING (email = current_user)",
                "CREATE RULE scratch_no_delete AS ON DELETE TO app.scratch DO INSTEAD NOTHING",
                "CREATE STATISTICS app.users_stats ON name, mood FROM app.users",
                "CREATE MATERIALIZED VIEW app.mood_counts AS SELECT mood, count(*) AS n FROM app.users GROUP BY mood",
                "CREATE TYPE app.pair AS (a integer, b text)",
                "CREATE TYPE app.floatrange AS RANGE (subtype = float8)",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC",
                "COMMENT ON TABLE app.scratch IS '" + "long comment ".repeat(10) + "'",
                "CREATE SCHEMA pgroll",
                "CREATE TABLE pgroll.migrations (name text)");
    }

    private static String fingerprint(TestDatabase db, String... excluded) {
        try (Connection c = db.connect()) {
            return CatalogFingerprint.of(c, excluded);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void isTheSameForTwoReads(TestDatabase db) {
        assertThat(fingerprint(db, "pgroll")).isEqualTo(fingerprint(db, "pgroll"));
    }

    @Test
    void readsAsOneFactPerLinePrefixedByTheObject(TestDatabase db) {
        String fingerprint = fingerprint(db, "pgroll");

        assertThat(fingerprint)
                .contains("schema app owner: " + db.user() + "\n")
                .contains("table app.users column 1 id: integer NOT NULL DEFAULT"
                        + " nextval('app.users_id_seq'::regclass)\n")
                .contains("table app.users column 2 email comment: where to write\\nand nothing else\n")
                .contains("table app.users column 4 mood: app.mood\n")
                .contains("table app.users comment: people who log in\n")
                .contains("table app.users constraint users_email_key: UNIQUE (email); validated\n")
                .contains("table app.users index users_name_idx: CREATE INDEX users_name_idx ON app.users"
                        + " USING btree (name) WHERE (name <> 'anonymous'::text); valid\n")
                .contains("table app.users trigger users_touch: CREATE TRIGGER users_touch BEFORE INSERT ON"
                        + " app.users FOR EACH ROW EXECUTE FUNCTION app.touch()\n")
                .contains("table app.users replica identity: default\n")
                .contains("table app.events_2026 partition of: app.events FOR VALUES FROM ('2026-01-01 00:00:00+00')"
                        + " TO ('2027-01-01 00:00:00+00')\n")
                .contains(
                        "table app.users policy own_rows: PERMISSIVE FOR SELECT TO PUBLIC USING ((email = CURRENT_USER))\n")
                .contains("table app.scratch rule scratch_no_delete: CREATE RULE scratch_no_delete AS ON DELETE TO"
                        + " app.scratch DO INSTEAD NOTHING;\n")
                .contains("table app.scratch column 1 v: text COLLATE pg_catalog.\"C\" STORAGE EXTERNAL\n")
                .contains(
                        "statistics app.users_stats: CREATE STATISTICS app.users_stats ON name, mood FROM app.users\n")
                .contains("default privileges of " + db.user() + " in schema app on tables: =r/" + db.user() + "\n")
                .contains("sequence app.users_id_seq owned by: app.users.id\n")
                .contains("view app.active_users definition: SELECT ")
                .contains("function app.touch() settings: search_path=app\n")
                .doesNotContain("function app.touch() arguments:")
                .contains("sequence app.users_id_seq parameters: integer START 1 INCREMENT 1 MINVALUE 1"
                        + " MAXVALUE 2147483647 CACHE 1\n")
                .contains("table app.scratch comment: " + "long comment ".repeat(10) + "\n")
                .contains("enum app.mood labels: 'sad', 'ok', 'happy'\n")
                .contains("domain app.positive definition: integer NOT NULL\n")
                .contains("domain app.positive constraint positive_check: CHECK ((VALUE > 0)); validated\n")
                .doesNotContain("pgroll")
                .doesNotContain("schema pg_catalog")
                .doesNotContain("pg_toast")
                .doesNotContain("information_schema");
        assertThat(fingerprint.lines()).doesNotHaveDuplicates();
        List<String> lines = fingerprint.lines().toList();
        int first = lines.indexOf(lines.stream()
                .filter(l -> l.startsWith("table app.users "))
                .findFirst()
                .orElseThrow());
        long count =
                lines.stream().filter(l -> l.startsWith("table app.users ")).count();
        assertThat(lines.subList(first, first + (int) count))
                .as("an object's facts stay together")
                .allMatch(l -> l.startsWith("table app.users "));
        assertThat(fingerprint(db)).contains("table pgroll.migrations column 1 name: text\n");
    }

    @Test
    void changesWithAnAddedColumn(TestDatabase db) {
        assertChanges(db, "ALTER TABLE app.users ADD COLUMN added integer", "ALTER TABLE app.users DROP COLUMN added");
    }

    @Test
    void changesWithANewIndex(TestDatabase db) {
        assertChanges(db, "CREATE INDEX users_mood_idx ON app.users (mood)", "DROP INDEX app.users_mood_idx");
    }

    @Test
    void changesWithANewTrigger(TestDatabase db) {
        assertChanges(
                db,
                "CREATE TRIGGER users_touch2 BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch()",
                "DROP TRIGGER users_touch2 ON app.users");
    }

    @Test
    void changesWithANewFunction(TestDatabase db) {
        assertChanges(db, "CREATE FUNCTION app.one() RETURNS integer LANGUAGE sql RETURN 1", "DROP FUNCTION app.one()");
    }

    @Test
    void changesWithAChangedFunctionBody(TestDatabase db) {
        String body = "CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql SET search_path = app"
                + " AS $$ BEGIN RETURN NEW; END $$";
        String before = fingerprint(db, "pgroll");
        db.execute(body);
        String changed = fingerprint(db, "pgroll");
        assertThat(changed).isNotEqualTo(before);
        assertThat(changed).contains("function app.touch() body md5: " + md5(db, " BEGIN RETURN NEW; END "));
    }

    @Test
    void changesWithANewSchema(TestDatabase db) {
        assertChanges(db, "CREATE SCHEMA other", "DROP SCHEMA other");
    }

    @Test
    void changesWithAChangedDefault(TestDatabase db) {
        assertChanges(
                db,
                "ALTER TABLE app.users ALTER COLUMN name SET DEFAULT 'nobody'",
                "ALTER TABLE app.users ALTER COLUMN name SET DEFAULT 'anonymous'");
    }

    @Test
    void changesWithANewGrant(TestDatabase db) {
        assertChanges(db, "GRANT SELECT ON app.users TO PUBLIC", "REVOKE SELECT ON app.users FROM PUBLIC");
    }

    @Test
    void changesWithAConstraintNotYetValidated(TestDatabase db) {
        assertChanges(
                db,
                "ALTER TABLE app.users ADD CONSTRAINT email_check CHECK (email <> '') NOT VALID",
                "ALTER TABLE app.users DROP CONSTRAINT email_check");
    }

    @Test
    void changesWithANewEventTrigger(TestDatabase db) {
        db.execute(
                """
                CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$""");
        assertChanges(
                db,
                "CREATE EVENT TRIGGER app_on_ddl ON ddl_command_end EXECUTE FUNCTION app.on_ddl()",
                "DROP EVENT TRIGGER app_on_ddl");
        db.execute("DROP FUNCTION app.on_ddl()");
    }

    @Test
    void ignoresExcludedSchemas(TestDatabase db) {
        String before = fingerprint(db, "pgroll");
        db.execute("ALTER TABLE pgroll.migrations ADD COLUMN done boolean");
        try {
            assertThat(fingerprint(db, "pgroll")).isEqualTo(before);
        } finally {
            db.execute("ALTER TABLE pgroll.migrations DROP COLUMN done");
        }
    }

    @Test
    void ignoresDroppedColumns(TestDatabase db) {
        String before = fingerprint(db, "pgroll");
        db.execute("ALTER TABLE app.users ADD COLUMN temporary integer", "ALTER TABLE app.users DROP COLUMN temporary");
        assertThat(fingerprint(db, "pgroll")).isEqualTo(before);
    }

    @Test
    void ignoresOids(TestDatabase db) {
        String create =
                "CREATE TABLE app.recreated (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text NOT NULL)";
        db.execute(create);
        String before = fingerprint(db, "pgroll");
        db.execute("DROP TABLE app.recreated", create);
        assertThat(fingerprint(db, "pgroll")).isEqualTo(before);
        db.execute("DROP TABLE app.recreated");
    }

    @Test
    void ignoresTheCallersSettingsAndRestoresThem(TestDatabase db) throws SQLException {
        try (Connection c = db.connect();
                Statement st = c.createStatement()) {
            st.execute("SET search_path = app, public");
            st.execute("SET TimeZone = 'Asia/Tokyo'");
            String fromApp = CatalogFingerprint.of(c, "pgroll");
            try (ResultSet rs = st.executeQuery("SELECT current_setting('search_path'), current_setting('TimeZone')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("app, public");
                assertThat(rs.getString(2)).isEqualTo("Asia/Tokyo");
            }
            assertThat(fromApp).isEqualTo(fingerprint(db, "pgroll"));
        }
    }

    /** The fingerprint differs after {@code change} and is back to what it was after {@code undo}. */
    private static void assertChanges(TestDatabase db, String change, String undo) {
        String before = fingerprint(db, "pgroll");
        db.execute(change);
        try {
            assertThat(fingerprint(db, "pgroll")).isNotEqualTo(before);
        } finally {
            db.execute(undo);
        }
        assertThat(fingerprint(db, "pgroll")).isEqualTo(before);
    }

    private static String md5(TestDatabase db, String text) {
        return db.queryValue("SELECT md5('" + text.replace("'", "''") + "')");
    }
}
