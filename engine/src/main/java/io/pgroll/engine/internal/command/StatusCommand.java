package io.pgroll.engine.internal.command;

import io.pgroll.engine.MigrationInfo;
import io.pgroll.engine.Status;
import io.pgroll.engine.internal.state.MigrationRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code status}, {@code latest} and the history: what the state says, read without the migration lock. */
public final class StatusCommand {
    private final CommandExecutor executor;

    public StatusCommand(CommandExecutor executor) {
        this.executor = executor;
    }

    public Status status() {
        return executor.reading("status", session -> {
            String schema = session.settings().schema();
            Optional<MigrationRecord> latest = session.history().latestMigration();
            if (latest.isEmpty()) {
                return new Status(schema, "", Status.State.NO_MIGRATIONS);
            }
            String version = session.history().versionSchema(0).orElse("");
            return new Status(schema, version, latest.get().done() ? Status.State.COMPLETE : Status.State.IN_PROGRESS);
        });
    }

    /** The recorded history of the schema, oldest first. */
    public List<MigrationInfo> history() {
        return executor.reading("history", session -> {
            List<MigrationInfo> infos = new ArrayList<>();
            for (MigrationRecord r : session.history().all()) {
                infos.add(new MigrationInfo(
                        r.name(), r.parent(), r.migrationType(), r.done(), r.createdAt(), r.migration()));
            }
            return infos;
        });
    }

    /** The version schema suffix of the latest migration, if any. */
    public Optional<String> latestVersion() {
        return executor.reading("latest", session -> session.history().versionSchema(0));
    }
}
