package io.pgroll.engine.internal.command;

import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.internal.catalog.CatalogSchema;
import io.pgroll.engine.internal.catalog.SchemaDrift;
import io.pgroll.engine.internal.catalog.SchemaReader;
import io.pgroll.engine.internal.operations.ExecutionContext;
import io.pgroll.engine.internal.operations.Operations;
import io.pgroll.engine.internal.operations.VersionSchemas;
import io.pgroll.engine.internal.operations.VirtualSchema;
import io.pgroll.engine.internal.state.History;
import io.pgroll.engine.internal.state.History.Phase;
import io.pgroll.engine.internal.state.History.Step;
import io.pgroll.engine.internal.state.MigrationRecord;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.engine.model.Operation;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** One migration being started, completed or rolled back within a session: what its commands share. */
final class MigrationRun {
    private final Session session;
    private final Migration migration;

    MigrationRun(Session session, Migration migration) {
        this.session = session;
        this.migration = migration;
    }

    /** The schema's active migration, or a failure saying there is none to {@code verb}. */
    static MigrationRun active(Session session, String verb) throws SQLException {
        MigrationRecord active = session.history()
                .activeMigration()
                .orElseThrow(() -> new PgrollException(
                        ErrorKind.WRONG_STATE,
                        "There is no migration in progress on schema \""
                                + session.settings().schema() + "\" to " + verb
                                + ". `pgroll status` shows where the history stands."));
        return new MigrationRun(session, MigrationReader.readDocument(active.migration(), "the active migration"));
    }

    Migration migration() {
        return migration;
    }

    String name() {
        return migration.name();
    }

    String versionSchema() {
        return VersionSchemas.of(session.settings().schema(), migration);
    }

    /** The new version's schema: the catalog as it is now through the first {@code count} operations. */
    VirtualSchema replay(int count) throws SQLException {
        return Operations.replay(session.catalog(), migration.operations().subList(0, count));
    }

    ExecutionContext context(VirtualSchema schema, VirtualSchema newVersion) {
        return context(schema, schema, newVersion, null, null);
    }

    /** The context of operation {@code index} in start: its start is recorded with what its rollback needs. */
    ExecutionContext startContext(int index, VirtualSchema schema, VirtualSchema newVersion) {
        return context(
                schema,
                schema,
                newVersion,
                detail -> session.history().recordStatement(name(), Step.STARTED, index, detail),
                null);
    }

    /**
     * The context of operation {@code index} in complete or rollback ({@code step}): the schema replayed
     * before it, through it and through the whole migration, all over the catalog as it is now (the
     * complete of an operation before it may have renamed what it works on).
     */
    ExecutionContext contextOf(int index, Step step) throws SQLException {
        String detail = session.history().detail(name(), Step.STARTED, index).orElse(null);
        CatalogSchema now = session.catalog();
        List<Operation> operations = migration.operations();
        return context(
                Operations.replay(now, operations.subList(0, index)),
                Operations.replay(now, operations.subList(0, index + 1)),
                Operations.replay(now, operations),
                ignored -> session.history().recordStatement(name(), step, index, null),
                detail);
    }

    private ExecutionContext context(
            VirtualSchema before,
            VirtualSchema schema,
            VirtualSchema newVersion,
            ExecutionContext.StepRecord stepRecord,
            String detail) {
        return new ExecutionContext(
                session.executor(),
                session.settings(),
                before,
                schema,
                newVersion,
                versionSchema(),
                name(),
                stepRecord,
                detail);
    }

    /** Refuses to let anything but rollback touch a migration whose rollback began and did not finish. */
    void refuseIfRollingBack(String verb) throws SQLException {
        Optional<OffsetDateTime> rollingBack = session.history().reached(name(), Phase.ROLLING_BACK);
        if (rollingBack.isPresent()) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    "Migration \"" + name() + "\" cannot be " + verb + ": its rollback began at " + rollingBack.get()
                            + " and did not finish, so part of it may be undone already. Run `pgroll rollback` "
                            + "again to finish it.");
        }
    }

    /**
     * Refuses to {@code verb} (by running {@code command}) a migration whose schema changed outside the
     * tool since its start finished, unless the settings accept that: complete and rollback act on the
     * schema as start left it, so a table renamed or dropped by hand can fail them half-way, and rollback
     * would drop with start's temporary objects whatever was built on them. Nothing to compare when start
     * did not finish, or finished under a tool that kept no snapshot.
     */
    void refuseIfChangedOutside(String verb, String command) throws SQLException {
        History history = session.history();
        Optional<String> atStart = history.schemaAtStart(name());
        if (atStart.isEmpty()) {
            return;
        }
        List<String> changes = SchemaDrift.between(SchemaReader.parse(atStart.get()), session.catalog());
        if (changes.isEmpty()) {
            return;
        }
        String schema = session.settings().schema();
        String what = "schema \"" + schema + "\" changed outside pgroll since migration \"" + name() + "\" started: "
                + String.join("; ", changes) + ".";
        if (session.settings().acceptOutsideDdl()) {
            session.listener().notice("The " + what + " Going on, as accepted.");
            return;
        }
        throw new PgrollException(
                ErrorKind.WRONG_STATE,
                "Migration \"" + name() + "\" cannot be " + verb + ": the " + what + " pgroll acts on the schema as"
                        + " start left it, so these changes could make it fail half-way or drop what was built on"
                        + " the migration's own objects. Undo them and run `pgroll " + command + "` again, or, once"
                        + " you know they touch nothing this migration works on, run `pgroll " + command
                        + " --accept-outside-ddl`. Nothing was changed.");
    }

    /**
     * Refuses to go on when something was built, since start, on what the command drops: it would
     * fail half-way or drop that too. Not skipped by accepting outside DDL, which only says the changes
     * touch nothing the migration works on.
     */
    void refuseIfBuiltOn(List<String> obstacles, String verb, String command) {
        if (obstacles.isEmpty()) {
            return;
        }
        throw new PgrollException(
                ErrorKind.WRONG_STATE,
                "Migration \"" + name() + "\" cannot be " + verb + ": " + String.join("; ", obstacles) + " would"
                        + " be left without what it is built on. `pgroll " + command + "` drops those columns,"
                        + " tables or views, and PostgreSQL would refuse it half-way, or drop these with a version"
                        + " schema. Drop, move or rebuild them (on the new version's columns, or after " + command
                        + "),"
                        + " then run `pgroll " + command + "` again. Nothing was changed.");
    }

    /** The version schemas of this schema's history, the one of this migration among them. */
    List<String> versionSchemas() throws SQLException {
        return ValidateCommand.versionSchemasOf(session);
    }

    /** Refuses to complete a migration whose start did not finish. */
    void requireStarted() throws SQLException {
        if (session.history().reached(name(), Phase.STARTED).isEmpty()) {
            throw Failures.interruptedStart(session.settings().schema(), name());
        }
    }
}
