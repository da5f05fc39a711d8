package io.pgroll.engine.internal.command;

import io.pgroll.engine.MigrationInfo;
import io.pgroll.engine.Status;
import io.pgroll.engine.internal.catalog.SchemaReader;
import io.pgroll.engine.internal.state.MigrationRecord;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
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
            // a baseline or DDL from outside publishes no version schema
            List<MigrationRecord> migrations = session.history().all().stream()
                    .filter(MigrationRecord::isMigration)
                    .toList();
            List<String> live = new ArrayList<>();
            for (int i = migrations.size() - 1; i >= 0 && live.size() < 2; i--) {
                live.add(migrations.get(i).name());
                if (migrations.get(i).done()) {
                    break;
                }
            }
            return live;
        });
    }

    /**
     * The history from the newest baseline on as migration files hold it, for {@code pull}: a baseline
     * as its placeholder. DDL recorded from outside the tool is left out (its generated name would sort
     * out of the history's order), and the listener told of it.
     */
    public List<Migration> recordedMigrations() {
        return executor.reading("pull", session -> {
            List<Migration> migrations = new ArrayList<>();
            List<String> outside = new ArrayList<>();
            for (MigrationRecord r : session.history().sinceBaseline()) {
                if (r.isInferred()) {
                    outside.add(r.name());
                } else if (r.isBaseline()) {
                    migrations.add(Migration.baselinePlaceholder(r.name()));
                } else {
                    Migration stored = MigrationReader.readDocument(r.migration(), "the recorded " + r.name());
                    migrations.add(new Migration(r.name(), stored.versionSchema(), stored.operations()));
                }
            }
            if (!outside.isEmpty()) {
                session.listener()
                        .notice("The history records " + outside.size() + " change(s) made outside the tool ("
                                + String.join(", ", outside) + "); no file is written for them: a new database gets"
                                + " them only from a migration that makes them.");
            }
            return migrations;
        });
    }

    /** The schema as the engine reads it, in pgroll's JSON ({@code read_schema}). */
    public String analyze() {
        return executor.reading(
                "analyze",
                session -> SchemaReader.readJson(
                        session.connection(),
                        session.settings().stateSchema(),
                        session.settings().schema()));
    }

    /** The version schema suffix of the latest migration, if any. */
    public Optional<String> latestVersion() {
        return executor.reading("latest", session -> session.history().versionSchema(0));
    }
}
