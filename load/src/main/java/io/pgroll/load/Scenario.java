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
            """;

    /** The same table, made without pgroll. */
    static final String BASE_SQL =
            "CREATE TABLE accounts (id bigserial PRIMARY KEY, owner text NOT NULL, amount integer NOT NULL, note text)";

    /** Fills the table: one row in ten has no note. */
    static String fill(long rows) {
        return "INSERT INTO accounts (owner, amount, note) SELECT 'owner ' || g, g % 1000,"
                + " CASE WHEN g % 10 = 0 THEN NULL ELSE 'note ' || g END FROM generate_series(1, " + rows + ") g";
    }

    private static final Clients.Shape UNCHANGED = new Clients.Shape(
            "SELECT id, owner, amount, note FROM accounts WHERE id = ?",
            "UPDATE accounts SET amount = amount + 1 WHERE id = ?",
            "INSERT INTO accounts (owner, amount, note) VALUES ('client', 7, 'new')");

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
                            "INSERT INTO accounts (owner, amount, note, tier) VALUES ('client', 7, 'new', 'basic')"),
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
