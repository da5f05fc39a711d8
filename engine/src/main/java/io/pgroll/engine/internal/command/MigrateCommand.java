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
            Alignment alignment = Alignment.of(session.history().sinceBaseline(), migrations, source, true);
            if (alignment.historyGoesFurther() || alignment.pending().isEmpty()) {
                return List.of();
            }
            MigrationRecord active = alignment.active();
            if (active != null) {
                if (!completeInProgress) {
                    throw new PgrollException(
                            ErrorKind.WRONG_STATE,
                            source + ": migration \"" + active.name()
                                    + "\" is still in progress, and only one migration "
                                    + "can be: starting \""
                                    + alignment.pending().get(0).name() + "\" would "
                                    + "complete it and retire the version that instances of the build before it "
                                    + "use. Complete it once no instance needs that version (or allow this build to "
                                    + "complete it); nothing was changed.");
                }
                // the next one must fit before the version in use is retired for it: a refusal changes nothing
                Migration next = alignment.pending().get(0);
                ValidateCommand.run(session, next, "migration \"" + next.name() + "\"", session.catalog());
                CompleteCommand.run(session);
            }
            List<String> started = new ArrayList<>();
            List<Migration> pending = alignment.pending();
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

    private static List<Migration> pending(Session session, List<Migration> migrations, String source)
            throws SQLException {
        Alignment alignment = Alignment.of(session.history().sinceBaseline(), migrations, source, false);
        MigrationRecord active = alignment.active();
        if (active != null && !alignment.pending().isEmpty()) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    source + ": migration \"" + active.name() + "\" is still in progress. Complete or roll it back "
                            + "before applying the next ones; nothing was changed.");
        }
        return alignment.pending();
    }

    /**
     * How a list of migrations lines up with the recorded history. Only the history from the newest
     * baseline on counts: the files before the baseline's own file are what it stands for. Each baseline
     * and migration of this tool must be the next file, under its name and (but for a baseline, whose
     * placeholder file is there to be filled in) with the content recorded; DDL recorded from outside the
     * tool matches a file of its name (as {@code pull} writes one) or is passed over.
     *
     * @param pending the migrations after the history
     * @param active the recorded migration still in progress, or null
     * @param historyGoesFurther whether the history records more than the list has (an older build)
     */
    private record Alignment(List<Migration> pending, MigrationRecord active, boolean historyGoesFurther) {

        static Alignment of(
                List<MigrationRecord> recorded, List<Migration> migrations, String source, boolean olderBuildAllowed) {
            boolean fromBaseline = !recorded.isEmpty() && recorded.get(0).isBaseline();
            int next = fromBaseline ? baselineFile(recorded.get(0), migrations, source) : 0;
            MigrationRecord active = null;
            for (int i = 0; i < recorded.size(); i++) {
                MigrationRecord record = recorded.get(i);
                if (!record.done()) {
                    active = record;
                }
                boolean fileMatches =
                        next < migrations.size() && migrations.get(next).name().equals(record.name());
                if (record.isInferred()) {
                    next += fileMatches ? 1 : 0;
                    continue;
                }
                if (next >= migrations.size() && olderBuildAllowed) {
                    return new Alignment(List.of(), active, true);
                }
                if (!fileMatches) {
                    throw new PgrollException(
                            ErrorKind.WRONG_STATE,
                            source + ": migration \"" + record.name() + "\" is recorded as applied (number " + (i + 1)
                                    + " in the history" + (fromBaseline ? " from its baseline" : "") + ") but "
                                    + (next >= migrations.size()
                                            ? "the directory has no migration after \""
                                                    + (next == 0
                                                            ? ""
                                                            : migrations
                                                                    .get(next - 1)
                                                                    .name()) + "\""
                                            : "the directory's next migration is \""
                                                    + migrations.get(next).name() + "\"")
                                    + ". A migration that was applied must stay in the directory under the same name; "
                                    + "nothing was changed.");
                }
                if (record.isMigration()) {
                    requireUnchanged(record, migrations.get(next), source);
                }
                next++;
            }
            return new Alignment(migrations.subList(next, migrations.size()), active, false);
        }

        private static int baselineFile(MigrationRecord baseline, List<Migration> migrations, String source) {
            for (int i = 0; i < migrations.size(); i++) {
                if (migrations.get(i).name().equals(baseline.name())) {
                    return i;
                }
            }
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    source + ": the history starts from baseline \"" + baseline.name() + "\", which has no file "
                            + "here. Put the baseline's file (" + baseline.name() + ".yaml, as `pgroll baseline` wrote "
                            + "it) with the migrations; nothing was changed.");
        }

        private static void requireUnchanged(MigrationRecord recorded, Migration file, String source) {
            Migration stored = MigrationReader.readDocument(recorded.migration(), "the recorded " + recorded.name());
            if (!stored.equals(file)) {
                throw new PgrollException(
                        ErrorKind.WRONG_STATE,
                        source + ": migration \"" + recorded.name() + "\" was changed after it was applied: the file's "
                                + "content differs from what the history recorded. Revert the file and put the change "
                                + "in a new migration; nothing was changed.");
            }
        }
    }
}
