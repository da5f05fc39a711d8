package io.pgroll.engine.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgroll.engine.convert.SqlConverter.Conversion;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.engine.model.MigrationWriter;
import io.pgroll.engine.model.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SQL in, operations out: pgroll's documented conversions, and what stays SQL and why. */
class SqlConverterTest {
    private static final String PH = SqlConverter.PLACEHOLDER;

    private static List<Operation> convert(String sql) {
        return SqlConverter.convert(sql, "public").operations();
    }

    /** The operations {@code yaml} (a migration file's {@code operations} list) reads as. */
    private static List<Operation> expected(String yaml) {
        return MigrationReader.read("operations:\n" + yaml, "m", "m.yaml").operations();
    }

    @Test
    void createTableKeepsTypesAndExpressionsAsWritten() {
        assertThat(
                        convert(
                                """
                        CREATE TABLE public."User Accounts" (
                            id bigserial PRIMARY KEY,
                            email varchar(255) NOT NULL UNIQUE,
                            balance numeric(12, 2) DEFAULT 0.00 CHECK (balance >= 0),
                            created_at timestamp with time zone NOT NULL DEFAULT now(),
                            tags text[] DEFAULT '{}'::text[],
                            owner_id bigint CONSTRAINT owner_fk REFERENCES owners (id) ON DELETE CASCADE,
                            name_upper text GENERATED ALWAYS AS (upper(email)) STORED
                        );
                        """))
                .isEqualTo(
                        expected(
                                """
                          - create_table:
                              name: User Accounts
                              columns:
                                - {name: id, type: bigserial, pk: true}
                                - {name: email, type: varchar(255), unique: true}
                                - name: balance
                                  type: numeric(12, 2)
                                  nullable: true
                                  default: "0.00"
                                  check: {name: User Accounts_balance_check, constraint: balance >= 0}
                                - {name: created_at, type: timestamp with time zone, default: now()}
                                - {name: tags, type: "text[]", nullable: true, default: "'{}'::text[]"}
                                - name: owner_id
                                  type: bigint
                                  nullable: true
                                  references: {name: owner_fk, table: owners, column: id, on_delete: CASCADE}
                                - {name: name_upper, type: text, generated: {expression: upper(email)}}
                        """));
    }

    @Test
    void tableConstraintsAreNamedAsPostgresNamesThem() {
        assertThat(
                        convert(
                                """
                        CREATE TABLE orders (id int, customer_id bigint, code text,
                            PRIMARY KEY (id),
                            UNIQUE (customer_id, code),
                            CHECK (code <> ''),
                            FOREIGN KEY (customer_id) REFERENCES customers (id) ON UPDATE SET NULL DEFERRABLE
                                INITIALLY DEFERRED)
                        """))
                .isEqualTo(
                        expected(
                                """
                          - create_table:
                              name: orders
                              columns:
                                - {name: id, type: int, pk: true}
                                - {name: customer_id, type: bigint, nullable: true}
                                - {name: code, type: text, nullable: true}
                              constraints:
                                - {name: orders_customer_id_code_key, type: unique, columns: [customer_id, code]}
                                - {name: orders_check, type: check, check: "code <> ''", columns: []}
                                - name: orders_customer_id_fkey
                                  type: foreign_key
                                  columns: [customer_id]
                                  references: {table: customers, columns: [id], on_update: SET NULL}
                                  deferrable: true
                                  initially_deferred: true
                        """));
    }

    @Test
    void alterTableActionsBecomeTheirOperationsWithPgrollsPlaceholders() {
        assertThat(
                        convert(
                                """
                        ALTER TABLE users ADD COLUMN bio text;
                        ALTER TABLE users ADD COLUMN age int NOT NULL;
                        ALTER TABLE users ADD COLUMN country text NOT NULL DEFAULT 'nl';
                        ALTER TABLE users DROP COLUMN legacy;
                        ALTER TABLE users RENAME COLUMN name TO full_name;
                        ALTER TABLE users RENAME TO people;
                        ALTER TABLE people RENAME CONSTRAINT a TO b;
                        ALTER TABLE people ALTER COLUMN id TYPE bigint USING id::bigint;
                        ALTER TABLE people ALTER COLUMN age SET DATA TYPE smallint;
                        ALTER TABLE people ALTER COLUMN bio SET NOT NULL;
                        ALTER TABLE people ALTER COLUMN bio SET DEFAULT '' || 'x';
                        ALTER TABLE people ALTER COLUMN bio DROP DEFAULT;
                        ALTER TABLE people ADD CONSTRAINT people_email_key UNIQUE (email);
                        ALTER TABLE people ADD CONSTRAINT age_positive CHECK (age > 0);
                        ALTER TABLE people ADD CONSTRAINT fk FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL;
                        ALTER TABLE people DROP CONSTRAINT age_positive;
                        """))
                .isEqualTo(expected(
                        """
                          - add_column: {table: users, column: {name: bio, type: text, nullable: true}}
                          - add_column: {table: users, column: {name: age, type: int}, up: "%1$s"}
                          - add_column: {table: users, column: {name: country, type: text, default: "'nl'"}}
                          - drop_column: {table: users, column: legacy, down: "%1$s"}
                          - rename_column: {table: users, from: name, to: full_name}
                          - rename_table: {from: users, to: people}
                          - rename_constraint: {table: people, from: a, to: b}
                          - alter_column: {table: people, column: id, type: bigint, up: "id::bigint", down: "%1$s"}
                          - alter_column: {table: people, column: age, type: smallint, up: "%1$s", down: "%1$s"}
                          - alter_column: {table: people, column: bio, nullable: false, up: "%1$s", down: "%1$s"}
                          - alter_column: {table: people, column: bio, default: "'' || 'x'"}
                          - alter_column: {table: people, column: bio, default: null}
                          - create_constraint:
                              {table: people, name: people_email_key, type: unique, columns: [email],
                               up: {email: "%1$s"}, down: {email: "%1$s"}}
                          - create_constraint:
                              {table: people, name: age_positive, type: check, check: age > 0, columns: [placeholder],
                               up: {placeholder: "%1$s"}, down: {placeholder: "%1$s"}}
                          - create_constraint:
                              table: people
                              name: fk
                              type: foreign_key
                              columns: [team_id]
                              references: {table: teams, columns: [id], on_delete: SET NULL}
                              up: {team_id: "%1$s"}
                              down: {team_id: "%1$s"}
                          - drop_multicolumn_constraint:
                              {table: people, name: age_positive, up: {placeholder: "%1$s"}, down: {placeholder: "%1$s"}}
                        """
                                .formatted(PH)));
    }

    @Test
    void indexesAndDrops() {
        assertThat(
                        convert(
                                """
                        CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_email ON public.users USING btree
                            (email text_pattern_ops DESC NULLS LAST, name COLLATE "C") WITH (fillfactor = 70)
                            WHERE deleted_at IS NULL;
                        CREATE INDEX idx_tags ON posts USING gin (tags);
                        DROP INDEX CONCURRENTLY IF EXISTS idx_old;
                        DROP TABLE IF EXISTS old_stuff;
                        """))
                .isEqualTo(
                        expected(
                                """
                          - create_index:
                              name: idx_email
                              table: users
                              method: btree
                              unique: true
                              storage_parameters: fillfactor = 70
                              predicate: deleted_at IS NULL
                              columns:
                                - {column: email, opclass: {name: text_pattern_ops, params: []}, sort: DESC, nulls: LAST}
                                - {column: name, collate: C}
                          - create_index: {name: idx_tags, table: posts, method: gin, columns: [{column: tags}]}
                          - drop_index: {name: idx_old}
                          - drop_table: {name: old_stuff}
                        """));
    }

    @Test
    void pgDumpsConstraintsJoinTheTableCreatedAbove() {
        Conversion conversion = SqlConverter.convert(
                """
                SET statement_timeout = 0;
                SELECT pg_catalog.set_config('search_path', '', false);
                CREATE TABLE public.teams (id integer NOT NULL, name text);
                ALTER TABLE public.teams OWNER TO app;
                CREATE TABLE public.people (id integer NOT NULL, team_id integer);
                ALTER TABLE ONLY public.teams ADD CONSTRAINT teams_pkey PRIMARY KEY (id);
                ALTER TABLE ONLY public.people
                    ADD CONSTRAINT people_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id);
                """,
                "public");
        assertThat(conversion.operations())
                .isEqualTo(
                        expected(
                                """
                          - create_table:
                              name: teams
                              columns: [{name: id, type: integer}, {name: name, type: text, nullable: true}]
                              constraints: [{name: teams_pkey, type: primary_key, columns: [id]}]
                          - sql: {up: "ALTER TABLE public.teams OWNER TO app"}
                          - create_table:
                              name: people
                              columns: [{name: id, type: integer}, {name: team_id, type: integer, nullable: true}]
                              constraints:
                                - name: people_team_id_fkey
                                  type: foreign_key
                                  columns: [team_id]
                                  references: {table: teams, columns: [id]}
                        """));
        // the OWNER TO of a table this migration creates runs as written, nothing to warn of
        assertThat(conversion.warnings())
                .containsExactly(
                        "line 1: left out, a session setting (as pg_dump writes) is no change to the schema, and would"
                                + " stay set in the migrator's session: SET statement_timeout = 0",
                        "line 2: left out, a session setting (as pg_dump writes) is no change to the schema, and would"
                                + " stay set in the migrator's session: SELECT pg_catalog.set_config('search_path', '',"
                                + " false)");
    }

    @Test
    void whatNoOperationExpressesStaysSqlWithAWarningNamingTheLine() {
        Conversion conversion = SqlConverter.convert(
                """
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN NEW.updated_at := now(); RETURN NEW; END; -- a ; inside
                $body$;
                DROP TABLE a, b;
                ALTER TABLE t DROP COLUMN c CASCADE;
                CREATE INDEX lower_email ON users (lower(email));
                ALTER TABLE other.t ADD COLUMN x int;
                ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0) NOT VALID;
                CREATE TABLE t2 (LIKE t);
                """,
                "public");
        assertThat(conversion.operations()).hasSize(7).allMatch(op -> op.kind().equals("sql"));
        assertThat(conversion.operations().get(0).toString()).contains("$body$", "a ; inside");
        assertThat(conversion.warnings())
                .hasSize(6)
                .anySatisfy(w -> assertThat(w).startsWith("line 4:").contains("several tables"))
                .anySatisfy(w -> assertThat(w).startsWith("line 5:").contains("CASCADE"))
                .anySatisfy(w -> assertThat(w).startsWith("line 6:").contains("expression"))
                .anySatisfy(w -> assertThat(w).startsWith("line 7:").contains("other.t is not in schema \"public\""))
                .anySatisfy(w -> assertThat(w).startsWith("line 8:").contains("NOT VALID"))
                .anySatisfy(w -> assertThat(w).startsWith("line 9:").contains("LIKE"));
    }

    @Test
    void aMultiActionAlterIsConvertedWholeOrKeptWhole() {
        assertThat(convert("ALTER TABLE t ADD COLUMN a int, DROP COLUMN b"))
                .extracting(Operation::kind)
                .containsExactly("add_column", "drop_column");
        assertThat(convert("ALTER TABLE t ADD COLUMN a int, OWNER TO x"))
                .extracting(Operation::kind)
                .containsExactly("sql");
    }

    @Test
    void theSplitterKnowsQuotesCommentsAndAtomicBodies() {
        List<SqlLexer.Statement> statements = SqlLexer.split(
                """
                INSERT INTO t VALUES ('a;b', E'it\\'s;', $$x;y$$, "we;ird"); /* one; /* nested; */ */
                -- two;
                CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;
                ;;
                """);
        assertThat(statements).extracting(SqlLexer.Statement::line).containsExactly(1, 3);
        assertThat(statements.get(1).text()).endsWith("SELECT 2; END");
        assertThatThrownBy(() -> SqlLexer.split("SELECT 1;\nSELECT 'open"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line 2: the string opened there is never closed");
        assertThatThrownBy(() -> SqlLexer.split("SELECT $q$ open")).hasMessageContaining("dollar-quoted string $q$");
    }

    @Test
    void theMigrationWrittenReadsBack() {
        Conversion conversion = SqlConverter.convert("CREATE TABLE t (id int PRIMARY KEY); DROP INDEX i", "public");
        Migration migration = conversion.migration("01_t");
        assertThat(MigrationReader.readContent("01_t.yaml", MigrationWriter.yaml(migration)))
                .isEqualTo(migration);
    }
}
