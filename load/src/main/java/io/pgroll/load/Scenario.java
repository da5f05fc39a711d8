package io.pgroll.load;

import java.time.Duration;
import java.util.List;

/**
 * One schema change, made both ways: as a pgroll migration ({@code operations}, YAML), and as the
 * script a Flyway user runs for it ({@code blocking}: the statements Flyway runs in one transaction).
 * {@code before} and {@code after} are the statements of the application versions before and after the
 * change, over the table {@code accounts (id bigserial, owner text, amount int, note text)}. With a
 * {@code longTransaction}, a session holds a lock on the table that long from just before the change.
 */
record Scenario(
        String name,
        String operations,
        List<String> blocking,
        Clients.Shape before,
        Clients.Shape after,
        Duration longTransaction) {
    static final String BASE =
            """
            operations:
              - create_table:
                  name: accounts
                  columns:
                    - {name: id, type: bigserial, pk: true}
                    - {name: owner, type: text}
                    - {name: amount, type: integer}
                    - {name: note, type: text, nullable: true}
              - create_table:
                  name: amounts
                  columns:
                    - {name: id, type: integer, pk: true}
            """;

    /** The same tables, made without pgroll. */
    static final List<String> BASE_SQL = List.of(
            "CREATE TABLE accounts (id bigserial PRIMARY KEY, owner text NOT NULL, amount integer NOT NULL, note text)",
            "CREATE TABLE amounts (id integer PRIMARY KEY)");

    /**
     * Fills the tables: one account in ten has no note; every amount an account has, and will have for
     * hours of updates that add one, is in {@code amounts}.
     */
    static List<String> fill(long rows) {
        return List.of(
                "INSERT INTO accounts (owner, amount, note) SELECT 'owner ' || g, g % 1000,"
                        + " CASE WHEN g % 10 = 0 THEN NULL ELSE 'note ' || g END FROM generate_series(1, " + rows
                        + ") g",
                "INSERT INTO amounts SELECT generate_series(0, 99999)");
    }

    private static final Clients.Shape UNCHANGED = new Clients.Shape(
            "SELECT id, owner, amount, note FROM accounts WHERE id = ?",
            "UPDATE accounts SET amount = amount + 1 WHERE id = ?",
            "INSERT INTO accounts (owner, amount, note) VALUES ('client ' || gen_random_uuid(), 7, 'new')");

    private static final List<Scenario> ALL = List.of(
            new Scenario(
                    "add-not-null",
                    """
                    operations:
                      - add_column:
                          table: accounts
                          up: "CASE WHEN amount > 500 THEN 'gold' ELSE 'basic' END"
                          column: {name: tier, type: text, nullable: false, default: "'basic'"}
                    """,
                    List.of(
                            "ALTER TABLE accounts ADD COLUMN tier text DEFAULT 'basic'",
                            "UPDATE accounts SET tier = CASE WHEN amount > 500 THEN 'gold' ELSE 'basic' END",
                            "ALTER TABLE accounts ALTER COLUMN tier SET NOT NULL"),
                    UNCHANGED,
                    new Clients.Shape(
                            "SELECT id, owner, amount, note, tier FROM accounts WHERE id = ?",
                            "UPDATE accounts SET tier = 'gold', amount = amount + 1 WHERE id = ?",
                            "INSERT INTO accounts (owner, amount, note, tier) VALUES ('client ' || gen_random_uuid(), 7,"
                                    + " 'new', 'basic')"),
                    Duration.ZERO),
            new Scenario(
                    "set-not-null",
                    """
                    operations:
                      - alter_column:
                          table: accounts
                          column: note
                          nullable: false
                          up: "coalesce(note, 'none')"
                          down: note
                    """,
                    List.of(
                            "UPDATE accounts SET note = 'none' WHERE note IS NULL",
                            "ALTER TABLE accounts ALTER COLUMN note SET NOT NULL"),
                    UNCHANGED,
                    new Clients.Shape(
                            UNCHANGED.select(),
                            "UPDATE accounts SET note = 'changed', amount = amount + 1 WHERE id = ?",
                            UNCHANGED.insert()),
                    Duration.ZERO),
            new Scenario(
                    "change-type",
                    """
                    operations:
                      - alter_column:
                          table: accounts
                          column: amount
                          type: bigint
                          up: amount
                          down: CAST(amount AS integer)
                    """,
                    List.of("ALTER TABLE accounts ALTER COLUMN amount TYPE bigint"),
                    UNCHANGED,
                    UNCHANGED,
                    Duration.ZERO),
            new Scenario(
                    "add-unique",
                    """
                    operations:
                      - create_constraint:
                          table: accounts
                          name: accounts_owner_unique
                          type: unique
                          columns: [owner]
                          up: {owner: owner}
                          down: {owner: owner}
                    """,
                    List.of("ALTER TABLE accounts ADD CONSTRAINT accounts_owner_unique UNIQUE (owner)"),
                    UNCHANGED,
                    UNCHANGED,
                    Duration.ZERO),
            new Scenario(
                    "add-foreign-key",
                    """
                    operations:
                      - alter_column:
                          table: accounts
                          column: amount
                          references: {name: accounts_amount_fk, table: amounts, column: id}
                          up: amount
                          down: amount
                    """,
                    List.of("ALTER TABLE accounts ADD CONSTRAINT accounts_amount_fk FOREIGN KEY (amount)"
                            + " REFERENCES amounts (id)"),
                    UNCHANGED,
                    UNCHANGED,
                    Duration.ZERO),
            new Scenario(
                    "rename-column",
                    """
                    operations:
                      - rename_column: {table: accounts, from: note, to: memo}
                    """,
                    List.of("ALTER TABLE accounts RENAME COLUMN note TO memo"),
                    UNCHANGED,
                    new Clients.Shape(
                            "SELECT id, owner, amount, memo FROM accounts WHERE id = ?",
                            "UPDATE accounts SET memo = 'changed', amount = amount + 1 WHERE id = ?",
                            "INSERT INTO accounts (owner, amount, memo) VALUES ('client ' || gen_random_uuid(), 7,"
                                    + " 'new')"),
                    Duration.ZERO));

    /**
     * The lock queue: {@code add-not-null} while a reporting query holds its table for three seconds.
     * An ALTER TABLE waiting for it makes every statement on the table queue behind the ALTER.
     */
    static final Scenario LOCK_QUEUE = lockQueue();

    private static Scenario lockQueue() {
        Scenario addNotNull = ALL.get(0);
        return new Scenario(
                "lock-queue",
                addNotNull.operations(),
                addNotNull.blocking(),
                addNotNull.before(),
                addNotNull.after(),
                Duration.ofSeconds(3));
    }

    /** Every scenario: the changes, then the lock queue. */
    static List<Scenario> all() {
        return java.util.stream.Stream.concat(ALL.stream(), java.util.stream.Stream.of(LOCK_QUEUE))
                .toList();
    }

    static Scenario named(String name) {
        return all().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no scenario " + name + "; the scenarios are "
                        + all().stream().map(Scenario::name).toList()));
    }
}
