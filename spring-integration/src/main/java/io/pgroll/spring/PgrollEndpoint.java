package io.pgroll.spring;

import io.pgroll.engine.MigrationInfo;
import io.pgroll.engine.Pgroll;
import io.pgroll.engine.PgrollException;
import io.pgroll.engine.Status;
import java.util.List;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

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

    /** The outcome of a write operation: the migration acted on, or why nothing was done. */
    public record Outcome(String action, String migration, String refused) {}

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
     * version; {@code POST /actuator/pgroll/rollback} rolls it back. When the state does not allow it
     * (nothing in progress, a rollback unfinished), the answer is 409 with the engine's message.
     */
    @WriteOperation
    public WebEndpointResponse<Outcome> act(@Selector String action) {
        try {
            return switch (action) {
                case "complete" -> done("completed", migrator.pgroll().complete());
                case "rollback" -> done("rolled back", migrator.pgroll().rollback());
                default -> new WebEndpointResponse<>(
                        new Outcome(action, null, "unknown action \"" + action + "\": use complete or rollback"),
                        WebEndpointResponse.STATUS_BAD_REQUEST);
            };
        } catch (PgrollException e) {
            return new WebEndpointResponse<>(new Outcome(action, null, e.getMessage()), 409);
        }
    }

    private static WebEndpointResponse<Outcome> done(String action, String migration) {
        return new WebEndpointResponse<>(new Outcome(action, migration, null));
    }
}
