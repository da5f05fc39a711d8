package io.pgroll.examples;

import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * A whole lifecycle on an embedded PostgreSQL, printing what happens: a table with rows, a breaking
 * change started (a NOT NULL column the old version knows nothing about), both versions reading and
 * writing side by side, a rollback that keeps every row, the change started again and completed.
 */
public final class LifecycleDemo {
    private static final String CREATE_USERS =
            """
            operations:
              - create_table:
                  name: users
                  columns:
                    - name: id
                      type: serial
                      pk: true
                    - name: name
                      type: text
            """;

    private static final String ADD_EMAIL =
            """
            operations:
              - add_column:
                  table: users
                  up: lower(name) || '@example.com'
                  column:
                    name: email
                    type: text
                    nullable: false
                    unique: true
            """;

    private LifecycleDemo() {}

    public static void main(String[] args) throws Exception {
        long began = System.nanoTime();
        step("Starting an embedded PostgreSQL (no server to install)");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            DataSource dataSource = postgres.getPostgresDatabase();
            say("PostgreSQL " + queryValue(dataSource, "SHOW server_version") + " on port " + postgres.getPort());

            Pgroll pgroll = Pgroll.configure()
                    .dataSource(dataSource)
                    .listener(new MigrationListener() {
                        @Override
                        public void operation(String migration, int index, String description, String phase) {
                            say("  " + phase + " " + migration + " #" + index + ": " + description);
                        }

                        @Override
                        public void backfill(BackfillProgress p) {
                            if (p.finished()) {
                                say(String.format(
                                        "  backfill of %s done: %,d rows at %,.0f rows/s",
                                        p.table(), p.rowsDone(), p.rowsPerSecond()));
                            }
                        }
                    })
                    .load();
            pgroll.init();

            step("01_create_users: create a table, complete at once, and add 10,000 rows");
            pgroll.start(migration(CREATE_USERS, "01_create_users"), true);
            execute(dataSource, "INSERT INTO public.users (name) SELECT 'User' || g FROM generate_series(1, 10000) g");
            say("rows: " + queryValue(dataSource, "SELECT count(*) FROM public.users"));

            step("02_add_email: start a breaking change (a NOT NULL, unique column)");
            long t = System.nanoTime();
            var started = pgroll.start(migration(ADD_EMAIL, "02_add_email"));
            say("started in " + millis(t) + " ms; new version schema: " + started.versionSchema());
            say("status: " + pgroll.status().state().label() + ", latest version "
                    + pgroll.status().version());

            showBothVersions(postgres);

            step("Roll back: the new version disappears, every row stays");
            t = System.nanoTime();
            pgroll.rollback();
            say(
                    "rolled back in " + millis(t) + " ms; rows: "
                            + queryValue(dataSource, "SELECT count(*) FROM public.users")
                            + "; columns of users: "
                            + queryValue(
                                    dataSource,
                                    "SELECT string_agg(attname, ', ' ORDER BY attnum) "
                                            + "FROM pg_attribute WHERE attrelid = 'public.users'::regclass AND attnum > 0 AND NOT attisdropped"));

            step("Start 02_add_email again and complete it");
            pgroll.start(migration(ADD_EMAIL, "02_add_email"));
            t = System.nanoTime();
            pgroll.complete();
            say("completed in " + millis(t) + " ms; status: "
                    + pgroll.status().state().label());
            say("final columns of users: "
                    + queryValue(
                            dataSource,
                            "SELECT string_agg(attname || ' ' || "
                                    + "format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' not null' ELSE '' END, ', ' "
                                    + "ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'public.users'::regclass AND attnum > 0 "
                                    + "AND NOT attisdropped"));
            say("an email of an old row: " + queryValue(dataSource, "SELECT email FROM public.users WHERE id = 42"));
        }
        step("Done in " + millis(began) + " ms");
    }

    private static void showBothVersions(EmbeddedPostgres postgres) throws SQLException {
        try (Connection oldApp = pinned(postgres, "public_01_create_users");
                Connection newApp = pinned(postgres, "public_02_add_email");
                Statement oldSt = oldApp.createStatement();
                Statement newSt = newApp.createStatement()) {
            say("old version (search_path=public_01_create_users) inserts ('Ada') without knowing about email");
            oldSt.execute("INSERT INTO users (name) VALUES ('Ada')");
            say("new version sees it with email computed by `up`: "
                    + row(newSt, "SELECT id, name, email FROM users WHERE name = 'Ada'"));
            say("new version (search_path=public_02_add_email) inserts ('Grace', 'grace@navy.mil')");
            newSt.execute("INSERT INTO users (name, email) VALUES ('Grace', 'grace@navy.mil')");
            say("old version sees it in its own shape: " + row(oldSt, "SELECT * FROM users WHERE name = 'Grace'"));
            say("new version, an existing row after the backfill: " + row(newSt, "SELECT * FROM users WHERE id = 7"));
            try {
                newSt.execute("INSERT INTO users (name) VALUES ('Nobody')");
                say("(unexpected) the new version inserted a row without email");
            } catch (SQLException e) {
                say("new version must give an email: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    private static Connection pinned(EmbeddedPostgres postgres, String versionSchema) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("currentSchema", versionSchema);
        return java.sql.DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"), props);
    }

    private static Migration migration(String yaml, String name) {
        return MigrationReader.read(yaml, name, name + ".yaml");
    }

    private static String row(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return "(no row)";
            }
            StringBuilder sb = new StringBuilder("(");
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                sb.append(i > 1 ? ", " : "")
                        .append(rs.getMetaData().getColumnName(i))
                        .append('=')
                        .append(rs.getString(i));
            }
            return sb.append(')').toString();
        }
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String queryValue(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void step(String text) {
        System.out.println();
        System.out.println("== " + text);
    }

    private static void say(String text) {
        System.out.println(text);
    }
}
