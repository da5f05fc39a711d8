package io.pgroll.engine.internal.command;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.internal.state.MigrationRecord;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import java.util.List;
import java.util.Optional;

/**
 * {@code baseline}: records the schema as it is as the starting point of the history. Nothing in the
 * schema changes; the migrations recorded before it stay in the state, but {@code migrate}, {@code pull}
 * and an application's startup consider only the history from the newest baseline on.
 */
public final class BaselineCommand {
    private final CommandExecutor executor;

    public BaselineCommand(CommandExecutor executor) {
        this.executor = executor;
    }

    public void baseline(String name) {
        if (name == null || name.isBlank() || name.contains("/")) {
            throw new IllegalArgumentException(
                    "a baseline needs a name usable as a file name, such as 01_initial_schema, but got \"" + name
                            + "\"");
        }
        executor.locked("baseline " + name, session -> {
            String schema = session.settings().schema();
            Optional<MigrationRecord> active = session.history().activeMigration();
            if (active.isPresent()) {
                throw new PgrollException(
                        ErrorKind.WRONG_STATE,
                        "Cannot record baseline \"" + name + "\" of schema \"" + schema + "\": migration \""
                                + active.get().name() + "\" is in progress. Complete or roll it back first; nothing"
                                + " was changed.");
            }
            if (session.history().migration(name).isPresent()) {
                throw new PgrollException(
                        ErrorKind.WRONG_STATE,
                        "Cannot record baseline \"" + name + "\" of schema \"" + schema + "\": the history has a "
                                + "migration of that name already. Choose another name; nothing was changed.");
            }
            session.history().recordBaseline(name, MigrationReader.toJson(new Migration(name, null, List.of())));
            return null;
        });
    }
}
