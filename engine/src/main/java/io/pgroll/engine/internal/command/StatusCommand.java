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

    /**
     * The migrations whose version schema applications can be pinned to now: the latest, and while it
     * is in progress the one before it (its version schema goes at complete), newest first.
     */
    public List<String> liveVersions() {
        return executor.reading("versions", session -> {
            List<MigrationRecord> all = session.history().all();
            List<String> live = new ArrayList<>();
            for (int i = all.size() - 1; i >= 0 && live.size() < 2; i--) {
                live.add(all.get(i).name());
                if (all.get(i).done()) {
                    break;
                }
            }
            return live;
        });
    }

    /** The version schema suffix of the latest migration, if any. */
    public Optional<String> latestVersion() {
        return executor.reading("latest", session -> session.history().versionSchema(0));
    }
}
