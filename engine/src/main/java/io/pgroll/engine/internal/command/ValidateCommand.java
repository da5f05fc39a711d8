package io.pgroll.engine.internal.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.catalog.CatalogSchema;
import io.pgroll.engine.internal.operations.InvalidOperationException;
import io.pgroll.engine.internal.operations.OperationAction;
import io.pgroll.engine.internal.operations.Operations;
import io.pgroll.engine.internal.operations.ValidationContext;
import io.pgroll.engine.internal.operations.VersionSchemas;
import io.pgroll.engine.internal.operations.VirtualSchema;
import io.pgroll.engine.internal.sql.SqlExpressions;
import io.pgroll.engine.internal.sql.SqlStates;
import io.pgroll.engine.internal.state.MigrationRecord;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationReader;
import io.pgroll.engine.model.Operation;
import io.pgroll.engine.model.RawSql;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code validate}: checks a migration against the schema as it is, changing nothing; start runs it first. */
public final class ValidateCommand {
    private final CommandExecutor executor;

    public ValidateCommand(CommandExecutor executor) {
        this.executor = executor;
    }

    public void validate(Migration migration, String source) {
        executor.reading("validate " + source, session -> {
            run(session, migration, source, session.catalog());
            return null;
        });
    }

    static void run(Session session, Migration migration, String source, CatalogSchema catalog) throws SQLException {
        String schema = session.settings().schema();
        CatalogQueries queries = new CatalogQueries(session.connection(), schema);
        if (!queries.schemaExists(schema)) {
            throw new PgrollException(
                    ErrorKind.VALIDATION_FAILED,
                    source + ": schema \"" + schema + "\" does not exist in this database. Create it, or name the "
                            + "schema to migrate with --schema; nothing was changed.");
        }
        String versionSchema = VersionSchemas.of(schema, migration);
        if (versionSchema.getBytes(StandardCharsets.UTF_8).length > VersionSchemas.MAX_IDENTIFIER_BYTES) {
            throw new PgrollException(
                    ErrorKind.VALIDATION_FAILED,
                    source + ": the version schema name \"" + versionSchema + "\" is longer than 63 bytes, so "
                            + "PostgreSQL would truncate it; shorten the migration name or set a shorter version_schema.");
        }
        List<String> used = versionSchemasOf(session);
        if (used.contains(versionSchema) || queries.schemaExists(versionSchema)) {
            throw new PgrollException(
                    ErrorKind.VALIDATION_FAILED,
                    source + ": the version schema \"" + versionSchema + "\" "
                            + (used.contains(versionSchema)
                                    ? "was already used by an earlier migration"
                                    : "already exists in the database")
                            + "; clients tell versions apart by it, so give this migration another name or "
                            + "version_schema. Nothing was changed.");
        }
        ValidationContext context = new ValidationContext(VirtualSchema.of(catalog), session.connection(), used);
        List<Operation> operations = migration.operations();
        JsonNode asJson = readTree(MigrationReader.toJson(migration)).get("operations");
        for (int i = 0; i < operations.size(); i++) {
            Operation operation = operations.get(i);
            OperationAction action = Operations.of(operation);
            context.validating(i);
            // before validate, which may ask the server about a default or a check
            requireSingleExpressions(source, i, operation, asJson.get(i));
            try {
                action.validate(context);
            } catch (InvalidOperationException e) {
                throw invalid(source, i, operation, e);
            }
            action.apply(context.schema());
        }
        for (ValidationContext.DeferredExpression down : context.deferred()) {
            try {
                context.check(down);
            } catch (InvalidOperationException e) {
                throw invalid(source, down.operation(), operations.get(down.operation()), e);
            }
        }
        context.warnings().forEach(w -> session.listener().notice(source + ": " + w));
    }

    /**
     * The fields of pgroll's format that hold an SQL expression, but {@code up} and {@code down}, which
     * the operations' validation reads with the column they compute (ValidationContext).
     */
    private static final Set<String> EXPRESSIONS = Set.of("default", "check", "constraint", "predicate", "expression");

    /**
     * Refuses an expression the migration gives (a check, a default, an index predicate...) that is
     * not one: placed in the DDL that carries it, a {@code ;} outside quotes would end that statement and
     * run the rest as another. Needs no server, so it holds after raw SQL too.
     */
    private static void requireSingleExpressions(String source, int index, Operation operation, JsonNode json) {
        if (operation instanceof RawSql) {
            return;
        }
        List<String> problems = new ArrayList<>();
        collectNotOne(json, null, problems);
        if (!problems.isEmpty()) {
            throw new PgrollException(
                    ErrorKind.VALIDATION_FAILED,
                    where(source, index, operation) + problems.get(0) + ". Nothing was changed.");
        }
    }

    private static void collectNotOne(JsonNode node, String field, List<String> problems) {
        if (node.isTextual() && field != null && EXPRESSIONS.contains(field)) {
            String problem = SqlExpressions.notOneExpression(node.asText());
            if (problem != null) {
                problems.add("`" + field + "`, \"" + node.asText() + "\", is not one expression: " + problem);
            }
            return;
        }
        if (node.isArray()) {
            node.forEach(element -> collectNotOne(element, field, problems));
        }
        node.properties().forEach(e -> collectNotOne(e.getValue(), e.getKey(), problems));
    }

    private static JsonNode readTree(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the migration's own JSON does not read back", e);
        }
    }

    private static String where(String source, int index, Operation operation) {
        return source + ": operation " + (index + 1) + " (" + operation.describe() + "): ";
    }

    private static PgrollException invalid(String source, int index, Operation operation, InvalidOperationException e) {
        String where = where(source, index, operation);
        // a lost or refused connection: the database failed, not the migration
        if (e.getCause() instanceof SQLException sql && SqlStates.isUnavailable(sql.getSQLState())) {
            return new PgrollException(
                    ErrorKind.DATABASE_ERROR,
                    where + "validation could not finish: " + Failures.sqlMessage(sql) + ". Nothing was changed.",
                    sql);
        }
        return new PgrollException(
                ErrorKind.VALIDATION_FAILED, where + e.getMessage() + ". Nothing was changed.", e.getCause());
    }

    /** The version schemas of the history's migrations (baselines have none). */
    static List<String> versionSchemasOf(Session session) throws SQLException {
        List<String> used = new ArrayList<>();
        for (MigrationRecord r : session.history().all()) {
            if (r.migrationType().equals("pgroll")) {
                used.add(VersionSchemas.of(
                        session.settings().schema(), MigrationReader.readDocument(r.migration(), "the history")));
            }
        }
        return used;
    }
}
