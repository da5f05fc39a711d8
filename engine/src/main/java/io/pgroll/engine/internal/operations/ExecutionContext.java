package io.pgroll.engine.internal.operations;

import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.internal.EngineSettings;
import io.pgroll.engine.internal.backfill.BackfillPacing;
import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.catalog.CatalogSchema;
import io.pgroll.engine.internal.catalog.SchemaReader;
import io.pgroll.engine.internal.sql.LockSafeExecutor;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.model.ForeignKeyReference;
import io.pgroll.engine.model.TableForeignKeyReference;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What an operation needs while it changes the database. */
public final class ExecutionContext {
    private final LockSafeExecutor executor;
    private final EngineSettings settings;
    private final VirtualSchema before;
    private final VirtualSchema schema;
    private final VirtualSchema newVersion;
    private final String versionSchema;
    private final String migration;
    private final StepRecord stepRecord;
    private final String startDetail;

    public ExecutionContext(
            LockSafeExecutor executor,
            EngineSettings settings,
            VirtualSchema before,
            VirtualSchema schema,
            VirtualSchema newVersion,
            String versionSchema,
            String migration,
            StepRecord stepRecord,
            String startDetail) {
        this.executor = executor;
        this.settings = settings;
        this.before = before;
        this.schema = schema;
        this.newVersion = newVersion;
        this.versionSchema = versionSchema;
        this.migration = migration;
        this.stepRecord = stepRecord;
        this.startDetail = startDetail;
    }

    /**
     * The statement that records that this operation's step (its start, complete or rollback) finished,
     * with, for a start, what its rollback must know.
     */
    @FunctionalInterface
    public interface StepRecord {
        String statement(String detail);
    }

    LockSafeExecutor executor() {
        return executor;
    }

    Connection connection() {
        return executor.connection();
    }

    /** The schema as this operation sees it: after the operations before it (and itself, in complete and rollback). */
    VirtualSchema schema() {
        return schema;
    }

    /**
     * The schema as this operation found it, after the operations before it: where a column the
     * operation works on is stored, whichever phase it is in.
     */
    VirtualSchema before() {
        return before;
    }

    /**
     * The physical column behind {@code column} of {@code table} as this operation found them: a
     * column renamed earlier in the migration keeps its old name until complete.
     */
    String physicalColumn(String table, String column) {
        return before.table(table)
                .flatMap(t -> t.column(column))
                .map(VirtualColumn::physicalName)
                .orElse(column);
    }

    /** The physical table behind {@code table} as this operation found it, or the name itself. */
    String physicalTable(String table) {
        return before.table(table).map(VirtualTable::physicalName).orElse(table);
    }

    /**
     * A foreign key's target as it is stored: a table or column renamed earlier in the migration keeps
     * its old name until complete, and a constraint follows a rename of what it references by itself.
     */
    ForeignKeyReference physically(ForeignKeyReference ref) {
        return ref.withTarget(physicalTable(ref.table()), physicalColumn(ref.table(), ref.column()));
    }

    /** As {@link #physically(ForeignKeyReference)}, for a multi-column foreign key. */
    TableForeignKeyReference physically(TableForeignKeyReference ref) {
        return ref.withTarget(
                physicalTable(ref.table()),
                ref.columns().stream().map(c -> physicalColumn(ref.table(), c)).toList());
    }

    /** The schema as the new version sees it when every operation of the migration has applied. */
    VirtualSchema newVersion() {
        return newVersion;
    }

    /** The target schema's name, e.g. {@code public}. */
    String schemaName() {
        return settings.schema();
    }

    /** The full name of the new version's schema, e.g. {@code public_02_add_rating}. */
    String versionSchema() {
        return versionSchema;
    }

    String migration() {
        return migration;
    }

    MigrationListener listener() {
        return settings.listener();
    }

    BackfillPacing backfillPacing() {
        return settings.backfill();
    }

    /** {@code "schema"."name"} for a physical table (or other relation) of the target schema. */
    String qualified(String relation) {
        return Sql.qualified(settings.schema(), relation);
    }

    /**
     * The statements of a step that is one transaction, followed by the state's record that this
     * operation's step finished, so that the two commit together: a crash then never leaves the work
     * done but unrecorded (a start that rollback would not undo, a {@code sql} operation's {@code up} or
     * {@code down} that the next complete or rollback would run a second time) or recorded but undone.
     */
    List<String> recording(List<String> statements) {
        return recording(statements, null);
    }

    /** As {@link #recording(List)}, recording also what this operation's rollback must know. */
    List<String> recording(List<String> statements, String detail) {
        if (stepRecord == null) {
            return statements;
        }
        List<String> recorded = new ArrayList<>(statements);
        recorded.add(stepRecord.statement(detail));
        return recorded;
    }

    /** In rollback: what this operation's start recorded for undoing it, or null. */
    String startDetail() {
        return startDetail;
    }

    /** Questions to the catalog of the target schema, as it is now. */
    CatalogQueries catalog() {
        return new CatalogQueries(connection(), settings.schema());
    }

    /** The catalog as it is now. */
    CatalogSchema readCatalog() throws SQLException {
        return SchemaReader.read(connection(), settings.stateSchema(), settings.schema());
    }

    /** The physical table behind a table of the new version. */
    VirtualTable table(String name) {
        return schema.table(name)
                .orElseThrow(() -> new IllegalStateException("table \"" + name + "\" is not in the virtual schema"));
    }
}
