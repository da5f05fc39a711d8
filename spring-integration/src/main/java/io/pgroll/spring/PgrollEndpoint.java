package io.pgroll.spring;

import io.pgroll.engine.MigrationInfo;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.Status;
import java.util.List;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/pgroll}: where the schema stands, its history, and the version this build uses;
 * {@code complete} and {@code rollback} as write operations, which Boot allows only with {@code
 * management.endpoint.pgroll.access=unrestricted} (the default access is read-only).
 */
@Endpoint(id = "pgroll", defaultAccess = Access.READ_ONLY)
public class PgrollEndpoint {
    private final PgrollMigrator migrator;

    public PgrollEndpoint(PgrollMigrator migrator) {
        this.migrator = migrator;
    }

    /** The state of the schema, as the endpoint's JSON shows it. */
    public record Report(
            String schema,
            String version,
            String state,
            String activeMigration,
            String buildVersion,
            List<String> liveVersions,
            List<String> startedAtStartup,
            List<HistoryEntry> history) {}

    /** One migration of the history. */
    public record HistoryEntry(String name, String parent, String type, boolean done, String createdAt) {}

    /** The outcome of a write operation. */
    public record Outcome(String action, String migration) {}

    @ReadOperation
    public Report report() {
        Pgroll pgroll = migrator.pgroll();
        Status status = pgroll.status();
        List<MigrationInfo> history = pgroll.history();
        String active = status.state() == Status.State.IN_PROGRESS
                ? history.get(history.size() - 1).name()
                : null;
        return new Report(
                status.schema(),
                status.version(),
                status.state().label(),
                active,
                migrator.version().orElse(null),
                pgroll.liveVersions(),
                migrator.started(),
                history.stream()
                        .map(m -> new HistoryEntry(
                                m.name(), m.parent(), m.type(), m.done(), String.valueOf(m.createdAt())))
                        .toList());
    }

    /**
     * {@code POST /actuator/pgroll/complete} completes the migration in progress, retiring the previous
     * version; {@code POST /actuator/pgroll/rollback} rolls it back.
     */
    @WriteOperation
    public Outcome act(@Selector String action) {
        return switch (action) {
            case "complete" -> new Outcome("completed", migrator.pgroll().complete());
            case "rollback" -> new Outcome("rolled back", migrator.pgroll().rollback());
            default -> {
                String message = "unknown pgroll action \"" + action + "\": use complete or rollback";
                throw new InvalidEndpointRequestException(message, message);
            }
        };
    }
}
