package io.pgroll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgroll.testing.CatalogFingerprint;
import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.Rows;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The roles the README's GRANTs set up, each connecting for real: a deployer that logs in and SETs
 * the schema's owner role (no superuser anywhere), and application roles holding only what the README
 * lists. Roles are cluster-wide, so every test names its own.
 */
@ExtendWith(PostgresExtension.class)
class LeastPrivilegeTest {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final String PERMISSION_DENIED = "42501";
    private static final String CREATE =
            """
            operations:
              - create_table:
                  name: accounts
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: owner, type: text, default: current_user}
                    - {name: balance, type: int, nullable: true}
            """;
    private static final String BALANCE_NOT_NULL =
            """
            operations:
              - alter_column:
                  table: accounts
                  column: balance
                  nullable: false
                  up: coalesce(balance, 0)
                  down: balance
            """;

    /** The roles of one test and an engine that migrates as the owner role. */
    private record Roles(TestDatabase db, String owner, String deployer, String app, String schema, Pgroll pgroll) {
        static Roles create(TestDatabase db) {
            int n = RUNS.incrementAndGet();
            // a server given by PGROLL_TEST_URL may keep the roles of earlier runs
            String suffix = "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36) + "_" + n;
            String owner = "lp_owner" + suffix;
            String deployer = "lp_deployer" + suffix;
            String app = "lp_app" + suffix;
            String schema = "shop" + n;
            // what the README's "Least privilege" section tells a DBA to run, once
            db.execute(
                    "CREATE ROLE " + owner + " NOLOGIN",
                    "CREATE ROLE " + deployer + " LOGIN PASSWORD 'deployer' IN ROLE " + owner,
                    "CREATE ROLE " + app + " NOLOGIN",
                    "GRANT CREATE ON DATABASE " + db.name() + " TO " + owner,
                    "CREATE SCHEMA " + schema + " AUTHORIZATION " + owner,
                    "GRANT USAGE ON SCHEMA " + schema + " TO " + app,
                    "ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " IN SCHEMA " + schema
                            + " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + app,
                    "ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " IN SCHEMA " + schema
                            + " GRANT USAGE ON SEQUENCES TO " + app);
            Pgroll pgroll = engine(db, deployer, owner, schema, UnaryOperator.identity());
            pgroll.init();
            return new Roles(db, owner, deployer, app, schema, pgroll);
        }

        private static Pgroll engine(
                TestDatabase db, String deployer, String owner, String schema, UnaryOperator<Pgroll.Builder> more) {
            return more.apply(Pgroll.configure()
                            .dataSource(db.dataSource(deployer, "deployer"))
                            .role(owner)
                            .schema(schema)
                            .stateSchema(schema + "_state")
                            .backfillBatchSize(50))
                    .load();
        }

        /** An engine that migrates as the owner role, configured further by {@code more}. */
        Pgroll engine(UnaryOperator<Pgroll.Builder> more) {
            return engine(db, deployer, owner, schema, more);
        }

        /** A login member of the application role, as each instance of the application connects. */
        String appUser(String name) {
            String user = app + "_" + name;
            db.execute("CREATE ROLE " + user + " LOGIN PASSWORD 'app' IN ROLE " + app);
            return user;
        }

        Connection connect(String user, String version) throws SQLException {
            Connection c = db.connect(user, "app");
            Rows.exec(c, "SET search_path = " + schema + "_" + version);
            return c;
        }

        String state() {
            return schema + "_state";
        }

        /** Each role sees and writes only the rows it owns; {@code forced} on the table's owner too. */
        void ownRowsOnly(boolean forced) {
            String table = schema + ".accounts";
            db.execute("SET ROLE " + owner + "; ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY;"
                    + (forced ? " ALTER TABLE " + table + " FORCE ROW LEVEL SECURITY;" : "")
                    + " CREATE POLICY own_rows ON " + table
                    + " USING (owner = current_user) WITH CHECK (owner = current_user)");
        }
    }

    @Test
    void theOwnerRoleRunsTheLifecycleAndTheAppRoleNeedsOnlyTheListedGrants(TestDatabase db) throws Exception {
        Roles roles = Roles.create(db);
        roles.pgroll().start(MigrationHarness.migration("01_create", CREATE), true);
        assertThat(db.queryValue("SELECT tableowner FROM pg_tables WHERE schemaname = '" + roles.schema()
                        + "' AND tablename = 'accounts'"))
                .isEqualTo(roles.owner());
        assertThat(db.queryValue(
                        "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = '" + roles.state() + "'"))
                .isEqualTo(roles.owner());

        String user = roles.appUser("one");
        try (Connection v1 = roles.connect(user, "01_create")) {
            Rows.exec(v1, "INSERT INTO accounts (balance) VALUES (10), (NULL)");
        }
        roles.pgroll().start(MigrationHarness.migration("02_balance_not_null", BALANCE_NOT_NULL));
        try (Connection v1 = roles.connect(user, "01_create");
                Connection v2 = roles.connect(user, "02_balance_not_null")) {
            Rows.exec(v1, "INSERT INTO accounts (balance) VALUES (NULL)");
            Rows.exec(v2, "INSERT INTO accounts (balance) VALUES (7)");
            Rows.exec(v2, "UPDATE accounts SET balance = balance + 1 WHERE id = 1");
            assertThat(Rows.rows(v2, "SELECT id, owner, balance FROM accounts ORDER BY id"))
                    .containsExactly(
                            List.of("1", user, "11"),
                            List.of("2", user, "0"),
                            List.of("3", user, "0"),
                            List.of("4", user, "7"));
            assertThat(Rows.rows(v1, "SELECT balance FROM accounts WHERE id IN (2, 4) ORDER BY id"))
                    .containsExactly(Arrays.asList((String) null), List.of("7"));

            // the history is readable (the driver checks the version), never writable
            assertThat(Rows.value(v2, "SELECT count(*) FROM " + roles.state() + ".migrations"))
                    .isEqualTo("2");
            for (String write : List.of(
                    "UPDATE " + roles.state() + ".migrations SET done = true",
                    "DELETE FROM " + roles.state() + ".migrations",
                    "INSERT INTO " + roles.state() + ".migrations (schema, name, migration, done) VALUES ('x', 'y',"
                            + " '{}', true)",
                    "DELETE FROM " + roles.state() + ".phases",
                    "CREATE TABLE " + roles.state() + ".mine (id int)",
                    "CREATE TABLE " + roles.schema() + ".mine (id int)",
                    "DROP VIEW " + roles.schema() + "_02_balance_not_null.accounts",
                    "ALTER TABLE " + roles.schema() + ".accounts ADD COLUMN mine int")) {
                assertPermissionDenied(v2, write);
            }
        }
        roles.pgroll().complete();
        try (Connection v2 = roles.connect(user, "02_balance_not_null")) {
            assertThat(Rows.value(v2, "SELECT sum(balance) FROM accounts")).isEqualTo("18");
        }
        assertThat(roles.pgroll().status().state()).isEqualTo(Status.State.COMPLETE);
    }

    /**
     * A bound on replica lag is kept by reading the standbys' positions, which PostgreSQL shows only to
     * roles with pg_read_all_stats's privileges: without them start refuses before it changes anything,
     * rather than see every standby as caught up.
     */
    @Test
    void aBoundOnReplicaLagNeedsTheRightToSeeTheStandbys(TestDatabase db) throws Exception {
        Roles roles = Roles.create(db);
        roles.pgroll().start(MigrationHarness.migration("01_create", CREATE), true);
        Pgroll bounded = roles.engine(b -> b.backfillMaxReplicaLagBytes(16L << 20));
        String before = fingerprint(db);

        assertThatThrownBy(() -> bounded.start(MigrationHarness.migration("02_balance_not_null", BALANCE_NOT_NULL)))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("cannot watch replication lag: role " + roles.owner())
                .hasMessageContaining("GRANT pg_monitor TO " + roles.owner())
                .hasMessageContaining("nothing was changed")
                .extracting(e -> ((PgrollException) e).sqlState())
                .isEqualTo(PERMISSION_DENIED);
        assertThat(fingerprint(db)).isEqualTo(before);
        assertThat(roles.pgroll().status().state()).isEqualTo(Status.State.COMPLETE);

        db.execute("GRANT pg_monitor TO " + roles.owner());
        bounded.start(MigrationHarness.migration("02_balance_not_null", BALANCE_NOT_NULL));
        assertThat(roles.pgroll().status().state()).isEqualTo(Status.State.IN_PROGRESS);
    }

    /**
     * The documented limit of PostgreSQL 14, whose views cannot be security_invoker: through a version
     * schema every role sees what the migrating role (the views' owner, here the table's) sees, and
     * start says so for each table with row security. Run by CI's PostgreSQL 14 pass.
     */
    @Test
    void onPostgresql14RowSecurityDoesNotApplyThroughTheViewsAndStartSaysSo(TestDatabase db) throws Exception {
        assumeTrue(major(db) < 15, "PostgreSQL 14's limit");
        OwnRows own = OwnRows.create(db, "(1)");
        Roles roles = own.roles();
        String alice = own.alice();
        String bob = own.bob();
        List<String> notices = new CopyOnWriteArrayList<>();
        roles.engine(b -> b.listener(new MigrationListener() {
                    @Override
                    public void notice(String message) {
                        notices.add(message);
                    }
                }))
                .start(MigrationHarness.migration("02_balance_not_null", BALANCE_NOT_NULL));

        assertThat(notices)
                .contains("table accounts has row-level security, which views on PostgreSQL 14 cannot apply (they have"
                        + " no security_invoker): through " + roles.schema() + "_02_balance_not_null every role sees"
                        + " the rows the migrating role sees");
        try (Connection aliceV2 = roles.connect(alice, "02_balance_not_null")) {
            assertThat(Rows.rows(aliceV2, "SELECT owner FROM accounts ORDER BY id"))
                    .containsExactly(List.of(alice), List.of(bob));
        }
        // the table itself still applies the policy to each role
        try (Connection aliceOwn = db.connect(alice, "app")) {
            assertThat(Rows.rows(aliceOwn, "SELECT owner FROM " + roles.schema() + ".accounts"))
                    .containsExactly(List.of(alice));
        }
    }

    /** The accounts table with a policy showing each role its own rows, and two users who wrote some. */
    private record OwnRows(Roles roles, String alice, String bob) {
        static OwnRows create(TestDatabase db, String balances) throws SQLException {
            Roles roles = Roles.create(db);
            roles.pgroll().start(MigrationHarness.migration("01_create", CREATE), true);
            roles.ownRowsOnly(false);
            String alice = roles.appUser("alice");
            String bob = roles.appUser("bob");
            for (String user : List.of(alice, bob)) {
                try (Connection v1 = roles.connect(user, "01_create")) {
                    Rows.exec(v1, "INSERT INTO accounts (balance) VALUES " + balances);
                }
            }
            return new OwnRows(roles, alice, bob);
        }
    }

    private static int major(TestDatabase db) throws SQLException {
        try (Connection c = db.connect()) {
            return c.getMetaData().getDatabaseMajorVersion();
        }
    }

    private static String fingerprint(TestDatabase db) throws SQLException {
        try (Connection c = db.connect()) {
            return CatalogFingerprint.of(c);
        }
    }

    @Test
    void rowLevelSecurityStillAppliesThroughBothVersions(TestDatabase db) throws Exception {
        assumeTrue(major(db) >= 15, "views are security_invoker from PostgreSQL 15 on");
        OwnRows own = OwnRows.create(db, "(NULL), (5)");
        Roles roles = own.roles();
        String alice = own.alice();
        String bob = own.bob();
        roles.pgroll().start(MigrationHarness.migration("02_balance_not_null", BALANCE_NOT_NULL));
        try (Connection aliceV1 = roles.connect(alice, "01_create");
                Connection aliceV2 = roles.connect(alice, "02_balance_not_null");
                Connection bobV2 = roles.connect(bob, "02_balance_not_null")) {
            assertThat(Rows.rows(aliceV2, "SELECT DISTINCT owner FROM accounts"))
                    .containsExactly(List.of(alice));
            assertThat(Rows.rows(aliceV1, "SELECT DISTINCT owner FROM accounts"))
                    .containsExactly(List.of(alice));
            assertThat(Rows.value(bobV2, "SELECT count(*) FROM accounts")).isEqualTo("2");
            assertPermissionDenied(aliceV2, "INSERT INTO accounts (owner, balance) VALUES ('" + bob + "', 1)");
            // a row alice cannot see is a row she cannot change
            Rows.exec(aliceV2, "UPDATE accounts SET balance = 99 WHERE owner = '" + bob + "'");
            assertThat(Rows.value(bobV2, "SELECT max(balance) FROM accounts")).isEqualTo("5");
        }
        // the backfill, run as the owner, reached every row whatever the policy shows an application
        assertThat(db.queryValue(
                        "SELECT count(*) FROM " + roles.schema() + ".accounts WHERE _pgroll_new_balance IS NULL"))
                .isEqualTo("0");
        roles.pgroll().complete();
        assertThat(db.queryValue("SELECT count(*) FROM " + roles.schema() + ".accounts WHERE balance = 0"))
                .isEqualTo("2");
    }

    @Test
    void aPolicyForcedOnTheOwnerStopsTheBackfillInsteadOfHidingRowsFromIt(TestDatabase db) throws Exception {
        Roles roles = Roles.create(db);
        roles.pgroll().start(MigrationHarness.migration("01_create", CREATE), true);
        roles.ownRowsOnly(true);
        try (Connection v1 = roles.connect(roles.appUser("carol"), "01_create")) {
            Rows.exec(v1, "INSERT INTO accounts (balance) VALUES (NULL), (5)");
        }
        String before = db.queryValue("SELECT string_agg(id || ':' || coalesce(balance::text, '-'), ',' ORDER BY id)"
                + " FROM " + roles.schema() + ".accounts");

        assertThatThrownBy(
                        () -> roles.pgroll().start(MigrationHarness.migration("02_balance_not_null", BALANCE_NOT_NULL)))
                .isInstanceOf(PgrollException.class)
                .hasMessageContaining("the backfill of table accounts cannot see every row")
                .hasMessageContaining("BYPASSRLS")
                .hasMessageContaining("NO FORCE ROW LEVEL SECURITY")
                .hasMessageContaining("no row was backfilled")
                .extracting(e -> ((PgrollException) e).sqlState())
                .isEqualTo(PERMISSION_DENIED);
        assertThat(roles.pgroll().status().state()).isEqualTo(Status.State.COMPLETE);
        assertThat(db.queryValue("SELECT string_agg(id || ':' || coalesce(balance::text, '-'), ',' ORDER BY id)"
                        + " FROM " + roles.schema() + ".accounts"))
                .isEqualTo(before);

        db.execute("ALTER TABLE " + roles.schema() + ".accounts NO FORCE ROW LEVEL SECURITY");
        roles.pgroll().start(MigrationHarness.migration("02_balance_not_null", BALANCE_NOT_NULL), true);
        assertThat(db.queryValue("SELECT count(*) FROM " + roles.schema() + ".accounts WHERE balance = 0"))
                .isEqualTo("1");
    }

    private static void assertPermissionDenied(Connection c, String sql) {
        assertThatThrownBy(() -> Rows.exec(c, sql))
                .as(sql)
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo(PERMISSION_DENIED);
    }
}
