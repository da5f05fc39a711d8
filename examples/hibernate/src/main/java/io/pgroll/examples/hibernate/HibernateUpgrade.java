package io.pgroll.examples.hibernate;

import com.zaxxer.hikari.HikariDataSource;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.model.MigrationReader;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;

/**
 * A Hibernate application through a breaking change: version 1's entity has a {@code title}, version
 * 2's a {@code headline} and a required {@code author}. Each version's SessionFactory runs on a pool
 * pinned to its version, validates its entity model against its version's views ({@code
 * hbm2ddl.auto=validate}), takes ids from the same sequence, writes in its own shape and reads what
 * the other wrote. No Hibernate setting names pgroll: the {@code pgroll-hibernate} jar on the class
 * path is enough.
 *
 * <p>Run it: {@code mvn -q -pl examples/hibernate -am -Pexample -DskipTests verify}.
 */
public final class HibernateUpgrade {
    private HibernateUpgrade() {}

    public static void main(String[] args) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            for (String line : run(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres")) {
                System.out.println(line);
            }
        }
    }

    /** Runs the example on a database (a {@code jdbc:postgresql:} URL); returns what it printed. */
    static List<String> run(String url, String user, String password) {
        Pgroll pgroll = Pgroll.configure().url(url, user, password).load();
        pgroll.init();
        pgroll.start(
                MigrationReader.read(
                        """
                        operations:
                          - create_table:
                              name: books
                              columns:
                                - {name: id, type: bigint, pk: true}
                                - {name: title, type: varchar(255), nullable: true}
                        """,
                        "01_books",
                        null),
                true);
        pgroll.start(
                MigrationReader.read(
                        "operations:\n  - sql: {up: CREATE SEQUENCE books_seq, down: DROP SEQUENCE books_seq}\n",
                        "02_books_seq",
                        null),
                true);
        pgroll.start(
                MigrationReader.read(
                        """
                        operations:
                          - rename_column: {table: books, from: title, to: headline}
                          - add_column:
                              table: books
                              up: "'unknown'"
                              column: {name: author, type: varchar(255)}
                        """,
                        "03_headline_author",
                        null),
                false);

        List<String> out = new ArrayList<>();
        try (HikariDataSource v1Pool = pool(url, user, password, "02_books_seq");
                HikariDataSource v2Pool = pool(url, user, password, "03_headline_author");
                SessionFactory v1 = sessionFactory(v1Pool, io.pgroll.examples.hibernate.v1.Book.class);
                SessionFactory v2 = sessionFactory(v2Pool, io.pgroll.examples.hibernate.v2.Book.class)) {
            v1.inTransaction(s -> s.persist(new io.pgroll.examples.hibernate.v1.Book("Dune")));
            v2.inTransaction(s -> s.persist(new io.pgroll.examples.hibernate.v2.Book("The Dispossessed", "Le Guin")));
            out.add("version 1 reads: "
                    + v1.fromSession(s -> s.createSelectionQuery("select title from Book order by id", String.class)
                            .getResultList()));
            out.add("version 2 reads: "
                    + v2.fromSession(s -> s.createSelectionQuery(
                                    "from Book order by id", io.pgroll.examples.hibernate.v2.Book.class)
                            .getResultList()));
        }
        pgroll.complete();
        out.add("completed; versions live: " + pgroll.liveVersions());
        return out;
    }

    private static HikariDataSource pool(String url, String user, String password, String version) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url.replaceFirst("^jdbc:", "jdbc:pgroll:"));
        pool.addDataSourceProperty("pgrollVersion", version);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(2);
        return pool;
    }

    private static SessionFactory sessionFactory(HikariDataSource pool, Class<?> entity) {
        return new MetadataSources(new StandardServiceRegistryBuilder()
                        .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, pool)
                        .applySetting(AvailableSettings.HBM2DDL_AUTO, "validate")
                        .build())
                .addAnnotatedClass(entity)
                .buildMetadata()
                .buildSessionFactory();
    }
}
