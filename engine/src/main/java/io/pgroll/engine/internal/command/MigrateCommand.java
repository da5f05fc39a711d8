package io.pgroll.engine.internal.command;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.internal.state.MigrationRecord;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code migrate}: applies the migrations that come after the recorded history, in order, completing
 * each but the last (all with {@code completeLast}). One session holds the migration lock throughout,
 * so the history it checked is the history it builds on.
 */
public final class MigrateCommand {
    private final CommandExecutor executor;

    public MigrateCommand(CommandExecutor executor) {
        this.executor = executor;
    }

    /** Returns the names of the migrations started. */
    public List<String> migrate(List<Migration> migrations, boolean completeLast, String source) {
        return executor.locked("migrate " + source, session -> {
            List<Migration> pending = pending(session, migrations, source);
            List<String> started = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                Migration migration = pending.get(i);
                boolean last = i == pending.size() - 1;
                StartCommand.run(session, migration, "migration \"" + migration.name() + "\"", !last || completeLast);
                started.add(migration.name());
            }
            return started;
        });
    }

    /** The migrations not yet applied, after checking that the recorded history is a prefix of them. */
    public List<Migration> pending(List<Migration> migrations, String source) {
        return executor.reading("migrate " + source, session -> pending(session, migrations, source));
    }

    private static List<Migration> pending(Session session, List<Migration> migrations, String source)
            throws SQLException {
        List<MigrationRecord> applied = session.history().all().stream()
                .filter(m -> m.migrationType().equals("pgroll"))
                .toList();
        for (int i = 0; i < applied.size(); i++) {
            MigrationRecord recorded = applied.get(i);
            if (i >= migrations.size() || !migrations.get(i).name().equals(recorded.name())) {
                throw new PgrollException(
                        ErrorKind.WRONG_STATE,
                        source + ": migration \"" + recorded.name() + "\" is recorded as applied (number " + (i + 1)
                                + " in the history) but "
                                + (i >= migrations.size()
                                        ? "the directory has only " + migrations.size() + " migrations"
                                        : "the directory's migration number " + (i + 1) + " is \""
                                                + migrations.get(i).name() + "\"")
                                + ". A migration that was applied must stay in the directory under the same name; "
                                + "nothing was changed.");
            }
            Migration stored = MigrationReader.readDocument(recorded.migration(), "the recorded " + recorded.name());
            if (!stored.equals(migrations.get(i))) {
                throw new PgrollException(
                        ErrorKind.WRONG_STATE,
                        source + ": migration \"" + recorded.name() + "\" was changed after it was applied: the file's "
                                + "content differs from what the history recorded. Revert the file and put the change "
                                + "in a new migration; nothing was changed.");
            }
        }
        MigrationRecord head = applied.isEmpty() ? null : applied.get(applied.size() - 1);
        if (head != null && !head.done() && migrations.size() > applied.size()) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    source + ": migration \"" + head.name() + "\" is still in progress. Complete or roll it back "
                            + "before applying the next ones; nothing was changed.");
        }
        return migrations.subList(applied.size(), migrations.size());
    }
}
