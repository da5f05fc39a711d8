package io.pgroll.engine.internal.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.model.DropTable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code drop_table}: the new version stops seeing the table at start; complete drops it. When a
 * later operation of the migration reuses its name (a {@code create_table} of the same name) or the
 * name of one of its indexes, start moves the table aside, its indexes and sequences with it, under
 * temporary names (catalog changes only, under the lock timeout); the old version's views follow it,
 * since a view refers to a table itself, not to its name. Rollback gives everything its name back;
 * complete drops the table under its temporary name.
 */
final class DropTableOperation implements OperationAction {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One relation moved aside: what start records for rollback, in the state. */
    record Moved(String kind, String name, String aside) {}

    private final DropTable op;

    DropTableOperation(DropTable op) {
        this.op = op;
    }

    @Override
    public void validate(ValidationContext context) {
        VirtualTable table = context.requireTable(op.name());
        if (!table.name().equals(table.physicalName())) {
            throw new InvalidOperationException("table \"" + op.name() + "\" was renamed earlier in this migration "
                    + "(it is \"" + table.physicalName() + "\" until complete); rename it or drop it, in migrations "
                    + "of their own");
        }
        try {
            Dependents.refuseIfBlocked(
                    context, table.physicalName(), null, "drop_table of \"" + op.name() + "\"", false);
        } catch (SQLException e) {
            throw new InvalidOperationException("cannot inspect table \"" + op.name() + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public void apply(VirtualSchema schema) {
        schema.dropTable(op.name());
    }

    @Override
    public void start(ExecutionContext context) throws SQLException {
        String table = context.table(op.name()).physicalName();
        List<CatalogQueries.OwnedRelation> owned = context.catalog().ownedRelations(table);
        boolean reused = context.newVersion().hasRelation(table)
                || owned.stream().anyMatch(r -> context.newVersion().hasRelation(r.name()));
        if (!reused) {
            return; // the old version keeps reading and writing the table under its name until complete
        }
        List<Moved> moved = new ArrayList<>();
        moved.add(new Moved("TABLE", table, TemporaryNames.of("dropped", table)));
        for (CatalogQueries.OwnedRelation relation : owned) {
            moved.add(new Moved(
                    relation.kind().equals("S") ? "SEQUENCE" : "INDEX",
                    relation.name(),
                    TemporaryNames.of("dropped", relation.name())));
        }
        List<String> statements = new ArrayList<>();
        for (Moved m : moved) {
            statements.add(renaming(context, m.kind(), m.name(), m.aside()));
        }
        context.executor().inTransaction(context.recording(statements, encode(moved)));
    }

    @Override
    public void complete(ExecutionContext context) throws SQLException {
        List<Moved> moved = decode(context.startDetail());
        String physical = moved.isEmpty()
                ? context.schema().droppedTablePhysicalName(op.name())
                : moved.get(0).aside();
        context.executor().inTransaction("DROP TABLE IF EXISTS " + context.qualified(physical));
    }

    @Override
    public void rollback(ExecutionContext context) throws SQLException {
        List<String> statements = new ArrayList<>();
        for (Moved m : decode(context.startDetail())) {
            if (context.catalog().relationExists(m.aside())) {
                statements.add(renaming(context, m.kind(), m.aside(), m.name()));
            }
        }
        if (!statements.isEmpty()) {
            context.executor().inTransaction(statements);
        }
    }

    private static String renaming(ExecutionContext context, String kind, String from, String to) {
        return "ALTER " + kind + " " + context.qualified(from) + " RENAME TO " + Sql.ident(to);
    }

    private static String encode(List<Moved> moved) {
        try {
            // lists of strings, not the records: no reflection into this module's packages
            return JSON.writeValueAsString(moved.stream()
                    .map(m -> List.of(m.kind(), m.name(), m.aside()))
                    .toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot record the relations moved aside", e);
        }
    }

    private static List<Moved> decode(String detail) {
        if (detail == null || detail.isEmpty()) {
            return List.of();
        }
        try {
            return JSON.readValue(detail, new TypeReference<List<List<String>>>() {}).stream()
                    .map(m -> new Moved(m.get(0), m.get(1), m.get(2)))
                    .toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "the state's record of the relations moved aside is unreadable: " + detail, e);
        }
    }
}
