package io.pgroll.jdbc;

import io.pgroll.engine.Pgroll;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A schema with a migration history made by the engine: {@code 01_create} (a {@code users} table with
 * {@code id} and {@code name}) completed, and {@code 02_add_rating} (adds {@code rating}, filled from the
 * name's length for rows the old version writes) started. Each test uses a schema of its own, so tests of
 * one class share the database without seeing each other.
 */
final class Fixture {
    static final String CREATE =
            """
            operations:
              - create_table:
                  name: users
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: name, type: text}
            """;
    static final String ADD_RATING =
            """
            operations:
              - add_column:
                  table: users
                  up: length(name)
                  column: {name: rating, type: integer, nullable: true}
            """;

    final TestDatabase db;
    final String schema;
    final Pgroll pgroll;

    private Fixture(TestDatabase db, String schema) {
        this.db = db;
        this.schema = schema;
        db.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        this.pgroll =
                Pgroll.configure().dataSource(db.dataSource()).schema(schema).load();
        pgroll.init();
    }

    /** Only initialised: no migration yet. */
    static Fixture empty(TestDatabase db, String schema) {
        return new Fixture(db, schema);
    }

    /** {@code 01_create} completed, {@code 02_add_rating} in progress. */
    static Fixture inProgress(TestDatabase db, String schema) {
        Fixture f = new Fixture(db, schema);
        f.start("01_create", CREATE, true);
        f.start("02_add_rating", ADD_RATING, false);
        return f;
    }

    Fixture start(String name, String yaml, boolean complete) {
        pgroll.start(MigrationReader.read(yaml, name, name + ".yaml"), complete);
        return this;
    }

    /** {@code jdbc:pgroll:} URL of the test database, with {@code pgrollSchema} and the given query parameters. */
    String url(String query) {
        return "jdbc:pgroll:" + db.jdbcUrl().substring("jdbc:".length()) + "?pgrollSchema=" + schema
                + (query.isEmpty() ? "" : "&" + query);
    }

    Properties credentials() {
        Properties p = new Properties();
        p.setProperty("user", db.user());
        p.setProperty("password", db.password());
        return p;
    }

    Connection connect(String query) throws SQLException {
        return new PgrollDriver().connect(url(query), credentials());
    }
}
