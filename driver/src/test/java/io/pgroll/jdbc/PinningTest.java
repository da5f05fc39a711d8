package io.pgroll.jdbc;

import static io.pgroll.testing.Rows.exec;
import static io.pgroll.testing.Rows.rows;
import static io.pgroll.testing.Rows.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

/** Connections pinned to the old and the new version of a migration in progress. */
@ExtendWith(PostgresExtension.class)
class PinningTest {

    @Test
    void oldAndNewVersionsReadAndWriteTheSameRowsEachInItsOwnShape(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "shapes");
        try (Connection old = f.connect("pgrollVersion=01_create");
                Connection current = f.connect("pgrollVersion=02_add_rating")) {
            exec(old, "INSERT INTO users (name) VALUES ('ada')");
            exec(current, "INSERT INTO users (name, rating) VALUES ('grace', 9)");

            assertThat(rows(old, "SELECT * FROM users ORDER BY id"))
                    .containsExactly(List.of("1", "ada"), List.of("2", "grace"));
            // the old version's write got its rating from the migration's up expression, length(name)
            assertThat(rows(current, "SELECT * FROM users ORDER BY id"))
                    .containsExactly(List.of("1", "ada", "3"), List.of("2", "grace", "9"));

            exec(old, "UPDATE users SET name = 'lovelace' WHERE id = 1");
            assertThat(value(current, "SELECT rating FROM users WHERE id = 1")).isEqualTo("8");
        }
    }

    @Test
    void theSearchPathIsExactlyTheVersionSchema(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "paths");
        try (Connection byName = f.connect("pgrollVersion=02_add_rating");
                Connection bySchemaName = f.connect("pgrollVersion=paths_01_create");
                Connection latest = f.connect("pgrollVersion=latest")) {
            assertThat(value(byName, "SHOW search_path")).isEqualTo("paths_02_add_rating");
            assertThat(value(bySchemaName, "SHOW search_path")).isEqualTo("paths_01_create");
            assertThat(value(latest, "SELECT current_setting('search_path')")).isEqualTo("paths_02_add_rating");
            assertThat(byName.getSchema()).isEqualTo("paths_02_add_rating");
            assertThat(value(byName, "SELECT current_schema()")).isEqualTo("paths_02_add_rating");
        }
    }

    @Test
    void aNamedVersionInStartupModeSendsTheSearchPathInTheStartupPacketAndRunsNoSet(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "nosets");
        try (SentMessages sent = new SentMessages();
                Connection c = f.connect("pgrollVersion=02_add_rating")) {
            assertThat(sent.lines())
                    .filteredOn(l -> l.startsWith("FE=> StartupPacket"))
                    .singleElement()
                    .asString()
                    .contains("search_path=nosets_02_add_rating");
            // besides pgJDBC's own SET application_name (skipped with assumeMinServerVersion=9.0), the one
            // statement sent is the validation query
            assertThat(sent.statements()).noneMatch(s -> s.matches("(?is).*\\bSET\\s+(SESSION\\s+)?search_path.*"));
            assertThat(sent.statements())
                    .filteredOn(s -> !s.contains("SET application_name"))
                    .singleElement()
                    .asString()
                    .contains("latest_version");
            assertThat(value(c, "SHOW search_path")).isEqualTo("nosets_02_add_rating");
        }
    }

    @Test
    void withoutValidationTheServerSeesNoStatementAtAllBeforeTheApplicationsFirst(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "silent");
        // assumeMinServerVersion=9.0 makes pgJDBC send application_name in the startup packet, not with a SET
        try (Connection c = f.connect(
                        "pgrollVersion=02_add_rating&pgrollValidate=false&ApplicationName=silent-probe&assumeMinServerVersion=9.0");
                Connection observer = db.connect()) {
            int pid = c.unwrap(PGConnection.class).getBackendPID();
            // pg_stat_activity.query is the backend's last statement: empty when it ran none
            assertThat(value(observer, "SELECT query FROM pg_stat_activity WHERE pid = " + pid))
                    .isEmpty();
            assertThat(value(observer, "SELECT application_name FROM pg_stat_activity WHERE pid = " + pid))
                    .isEqualTo("silent-probe");
            assertThat(value(c, "SHOW search_path")).isEqualTo("silent_02_add_rating");
        }
    }

    @Test
    void statementModeSetsThePinOutsideAnyTransactionSoARollbackKeepsIt(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "stmt");
        try (SentMessages sent = new SentMessages();
                Connection c = f.connect("pgrollVersion=02_add_rating&pgrollPinMode=statement")) {
            assertThat(sent.lines())
                    .filteredOn(l -> l.startsWith("FE=> StartupPacket"))
                    .singleElement()
                    .asString()
                    .doesNotContain("search_path");
            List<String> statements = sent.statements();
            assertThat(statements).anyMatch(s -> s.contains("SET search_path = \"stmt_02_add_rating\""));
            assertThat(statements.get(statements.size() - 1)).contains("latest_version");
            c.setAutoCommit(false);
            exec(c, "INSERT INTO users (name, rating) VALUES ('x', 1)");
            c.rollback();
            assertThat(value(c, "SHOW search_path")).isEqualTo("stmt_02_add_rating");
        }
    }

    @Test
    void resetsCannotUnpinInStartupMode(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "resets");
        try (Connection c = f.connect("pgrollVersion=02_add_rating")) {
            for (String reset :
                    List.of("DISCARD ALL", "RESET ALL", "RESET search_path", "SET search_path TO DEFAULT")) {
                exec(c, reset);
                // the startup packet's values are the session's defaults, which a reset restores
                assertThat(value(c, "SHOW search_path")).as(reset).isEqualTo("resets_02_add_rating");
            }
        }
    }

    @Test
    void resetsRunThroughTheWrapperAreFollowedByTheSetAgainInStatementMode(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "repins");
        try (Connection c = f.connect("pgrollVersion=02_add_rating&pgrollPinMode=statement")) {
            for (String reset :
                    List.of("DISCARD ALL", "reset all", "RESET search_path", "SET search_path TO DEFAULT")) {
                exec(c, reset);
                assertThat(value(c, "SHOW search_path")).as(reset).isEqualTo("repins_02_add_rating");
            }
            try (PreparedStatement ps = c.prepareStatement("DISCARD ALL")) {
                ps.execute();
            }
            assertThat(value(c, "SHOW search_path")).isEqualTo("repins_02_add_rating");
            try (var st = c.createStatement()) {
                st.addBatch("RESET ALL");
                st.executeBatch();
            }
            assertThat(value(c, "SHOW search_path")).isEqualTo("repins_02_add_rating");
        }
    }

    @Test
    void setSchemaCannotMoveThePinAndSaysSo(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "setschema");
        try (Connection c = f.connect("pgrollVersion=01_create")) {
            c.setSchema("setschema");
            assertThat(value(c, "SHOW search_path")).isEqualTo("setschema_01_create");
            assertThat(c.getSchema()).isEqualTo("setschema_01_create");
            assertThat((Object) c.getWarnings()).isNotNull();
            assertThat(c.getWarnings().getMessage())
                    .contains("setSchema(setschema) ignored", "setschema_01_create", "pgrollVersion");
            c.clearWarnings();
            assertThat((Object) c.getWarnings()).isNull();
            c.setSchema("setschema_01_create");
            assertThat((Object) c.getWarnings()).isNull();
        }
    }

    @Test
    void itBehavesAsPgjdbcsConnection(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "behaves");
        try (Connection c = f.connect("pgrollVersion=02_add_rating&ApplicationName=my-app&connectTimeout=5")) {
            assertThat(c.isWrapperFor(PGConnection.class)).isTrue();
            PGConnection pg = c.unwrap(PGConnection.class);
            assertThat(pg.getBackendPID()).isPositive();
            assertThat(c.unwrap(Connection.class)).isSameAs(c);
            PgrollConnection pin = c.unwrap(PgrollConnection.class);
            assertThat(pin.versionSchema()).isEqualTo(value(c, "SHOW search_path"));
            assertThat(pin.migratedSchema() + "_02_add_rating").isEqualTo(pin.versionSchema());
            assertThat(value(c, "SHOW application_name")).isEqualTo("my-app");
            try (var st = c.createStatement()) {
                assertThat(st.getConnection()).isSameAs(c);
            }
            try (var ps = c.prepareStatement("SELECT 1")) {
                assertThat(ps.getConnection()).isSameAs(c);
            }
            assertThat(c.getMetaData().getConnection()).isSameAs(c);
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
    }

    @Test
    void metadataReportsTheVersionSchemasViewsAsItsTables(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "meta");
        try (Connection c = f.connect("pgrollVersion=02_add_rating")) {
            assertThat(tables(c, "meta_02_add_rating", new String[] {"TABLE"}))
                    .containsExactly("meta_02_add_rating.users TABLE");
            assertThat(tables(c, null, new String[] {"TABLE"}))
                    .contains("meta_02_add_rating.users TABLE", "meta.users TABLE")
                    .noneMatch(t -> t.startsWith("meta_01_create"));
            assertThat(tables(c, "meta_01_create", new String[] {"VIEW"})).containsExactly("meta_01_create.users VIEW");
            assertThat(tables(c, "meta%", new String[] {"TABLE", "VIEW"}))
                    .containsExactly("meta.users TABLE", "meta_02_add_rating.users TABLE", "meta_01_create.users VIEW");
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getColumns(null, "meta_02_add_rating", "users", null)) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME"));
                }
            }
            assertThat(columns).containsExactly("id", "name", "rating");
        }
    }

    private static List<String> tables(Connection c, String schemaPattern, String[] types) throws Exception {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, schemaPattern, "%", types)) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME") + " "
                        + rs.getString("TABLE_TYPE"));
            }
        }
        return tables;
    }

    @Test
    void withoutAVersionTheConnectionIsPgjdbcsOwn(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "unpinned");
        try (Connection c = DriverManager.getConnection(f.url(""), f.credentials())) {
            assertThat(c).isInstanceOf(PGConnection.class);
            assertThat(value(c, "SHOW search_path")).isEqualTo("\"$user\", public");
        }
    }

    @Test
    void driverManagerFindsTheDriver(TestDatabase db) throws Exception {
        Fixture f = Fixture.inProgress(db, "found");
        try (Connection c = DriverManager.getConnection(f.url("pgrollVersion=latest"), db.user(), db.password())) {
            assertThat(value(c, "SHOW search_path")).isEqualTo("found_02_add_rating");
        }
        assertThat(DriverManager.getDriver("jdbc:pgroll:postgresql://h/db")).isInstanceOf(PgrollDriver.class);
    }
}
