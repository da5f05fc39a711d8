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

    /**
     * What an application that ships its migrations does at startup: brings the database to the newest
     * migration of {@code migrations}. Nothing to do when it is active or applied already, or when the
     * history goes further (an older build, whose files are a prefix of the history). Otherwise the
     * pending ones start in order, each but the last completed, the last left active for the previous
     * version's instances; a migration still in progress is completed first when {@code
     * completeInProgress} allows it (that retires the version older instances use), else nothing changes.
     */
    public List<String> deploy(List<Migration> migrations, String source, boolean completeInProgress) {
        return executor.locked("deploy " + source, session -> {
            List<MigrationRecord> applied = applied(session);
            List<Migration> shipped =
                    migrations.size() < applied.size() ? migrations : migrations.subList(0, applied.size());
            requirePrefix(applied.subList(0, shipped.size()), shipped, source);
            if (migrations.size() <= applied.size()) {
                return List.of();
            }
            MigrationRecord head = applied.isEmpty() ? null : applied.get(applied.size() - 1);
            if (head != null && !head.done()) {
                if (!completeInProgress) {
                    throw new PgrollException(
                            ErrorKind.WRONG_STATE,
                            source + ": migration \"" + head.name() + "\" is still in progress, and only one migration "
                                    + "can be: starting \""
                                    + migrations.get(applied.size()).name() + "\" would "
                                    + "complete it and retire the version that instances of the build before it "
                                    + "use. Complete it once no instance needs that version (or allow this build to "
                                    + "complete it); nothing was changed.");
                }
                // the next one must fit before the version in use is retired for it: a refusal changes nothing
                Migration next = migrations.get(applied.size());
                ValidateCommand.run(session, next, "migration \"" + next.name() + "\"", session.catalog());
                CompleteCommand.run(session);
            }
            List<String> started = new ArrayList<>();
            List<Migration> pending = migrations.subList(applied.size(), migrations.size());
            for (int i = 0; i < pending.size(); i++) {
                Migration migration = pending.get(i);
                StartCommand.run(session, migration, "migration \"" + migration.name() + "\"", i < pending.size() - 1);
                started.add(migration.name());
            }
            return started;
        });
    }

    /** The migrations not yet applied, after checking that the recorded history is a prefix of them. */
    public List<Migration> pending(List<Migration> migrations, String source) {
        return executor.reading("migrate " + source, session -> pending(session, migrations, source));
    }

    private static List<MigrationRecord> applied(Session session) throws SQLException {
        return session.history().all().stream()
                .filter(m -> m.migrationType().equals("pgroll"))
                .toList();
    }

    private static List<Migration> pending(Session session, List<Migration> migrations, String source)
            throws SQLException {
        List<MigrationRecord> applied = applied(session);
        requirePrefix(applied, migrations, source);
        MigrationRecord head = applied.isEmpty() ? null : applied.get(applied.size() - 1);
        if (head != null && !head.done() && migrations.size() > applied.size()) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    source + ": migration \"" + head.name() + "\" is still in progress. Complete or roll it back "
                            + "before applying the next ones; nothing was changed.");
        }
        return migrations.subList(applied.size(), migrations.size());
    }

    /** Refuses a history whose migrations are not the first of {@code migrations}, unchanged. */
    private static void requirePrefix(List<MigrationRecord> applied, List<Migration> migrations, String source) {
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
    }
}
