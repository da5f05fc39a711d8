package io.pgroll.examples.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.model.MigrationReader;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain JDBC with HikariCP, one pool per application version, through a breaking change: {@code
 * title} becomes {@code headline} and a required {@code author} appears. Each pool is pinned to its
 * version by a connection property; each writes in its own shape and reads what the other wrote.
 * After complete, the old version's new connections are refused with the driver's message.
 *
 * <p>Run it: {@code mvn -q -pl examples/jdbc -am -Pexample -DskipTests verify}.
 */
public final class HikariExample {
    private HikariExample() {}

    public static void main(String[] args) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            for (String line : run(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres")) {
                System.out.println(line);
            }
        }
    }

    /** Runs the example on a database (a {@code jdbc:postgresql:} URL); returns what it printed. */
    static List<String> run(String url, String user, String password) throws SQLException {
        List<String> out = new ArrayList<>();
        Pgroll pgroll = Pgroll.configure().url(url, user, password).load();
        pgroll.init();
        pgroll.start(
                MigrationReader.read(
                        """
                        operations:
                          - create_table:
                              name: books
                              columns:
                                - {name: id, type: serial, pk: true}
                                - {name: title, type: text}
                        """,
                        "01_books",
                        null),
                true);
        pgroll.start(
                MigrationReader.read(
                        """
                        operations:
                          - rename_column: {table: books, from: title, to: headline}
                          - add_column: {table: books, up: "'unknown'", column: {name: author, type: text}}
                        """,
                        "02_headline_author",
                        null),
                false);
        out.add("02_headline_author started; versions live: " + pgroll.liveVersions());

        try (HikariDataSource v1 = pool(url, user, password, "01_books");
                HikariDataSource v2 = pool(url, user, password, "02_headline_author")) {
            update(v1, "INSERT INTO books (title) VALUES (?)", "Dune");
            update(v2, "INSERT INTO books (headline, author) VALUES (?, 'Le Guin')", "The Dispossessed");
            out.add("version 1 reads: " + query(v1, "SELECT title FROM books ORDER BY id"));
            out.add("version 2 reads: " + query(v2, "SELECT headline || ' by ' || author FROM books ORDER BY id"));
        }

        pgroll.complete();
        out.add("02_headline_author completed; versions live: " + pgroll.liveVersions());
        // HikariCP opens a first connection when the pool is made: for a retired version the driver refuses it
        try (HikariDataSource v1 = pool(url, user, password, "01_books")) {
            out.add("version 1 connected, which it should not: " + v1);
        } catch (RuntimeException e) {
            out.add("version 1 is refused: " + (e.getCause() instanceof SQLException s ? s.getMessage() : e));
        }
        return out;
    }

    /** A pool pinned to one version: the URL stays jdbc:postgresql:, the version is a data source property. */
    private static HikariDataSource pool(String url, String user, String password, String version) {
        HikariConfig config = new HikariConfig();
        config.setDataSourceClassName("io.pgroll.jdbc.PgrollDataSource");
        config.addDataSourceProperty("url", url);
        config.addDataSourceProperty("pgrollVersion", version);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    private static void update(HikariDataSource pool, String sql, String value) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            ps.executeUpdate();
        }
    }

    private static List<String> query(HikariDataSource pool, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
