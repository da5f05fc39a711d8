package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.model.SetReplicaIdentity;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * {@code set_replica_identity}: what logical replication logs for updates and deletes. It changes
 * nothing either version sees; it takes effect at start, as pgroll documents, and rollback restores the
 * identity the table had.
 */
final class SetReplicaIdentityOperation implements OperationAction {
    private final SetReplicaIdentity op;

    SetReplicaIdentityOperation(SetReplicaIdentity op) {
        this.op = op;
    }

    private String kind() {
        return op.identity().type().toLowerCase(Locale.ROOT);
    }

    @Override
    public void validate(ValidationContext context) {
        context.requireTable(op.table());
        switch (kind()) {
            case "full", "default", "nothing" -> {}
            case "index" -> {
                if (ConstraintSql.blank(op.identity().index())) {
                    throw new InvalidOperationException("replica identity of type index needs the index's name");
                }
                if (context.schemaIsExact()
                        && !context.schema().hasRelation(op.identity().index())) {
                    throw new InvalidOperationException(
                            "index \"" + op.identity().index() + "\" does not exist");
                }
            }
            default -> throw new InvalidOperationException("replica identity type \""
                    + op.identity().type() + "\" is not one of full, default, nothing, index");
        }
    }

    @Override
    public void apply(VirtualSchema schema) {
        // invisible to both versions
    }

    /**
     * At start, as pgroll does: in one transaction with the record of its start, which keeps the
     * identity it replaced for rollback. ACCESS EXCLUSIVE for a catalog update, under the lock timeout.
     */
    @Override
    public void start(ExecutionContext context) throws SQLException {
        String table = context.table(op.table()).physicalName();
        CatalogQueries.ReplicaIdentity previous = context.catalog().replicaIdentity(table);
        String clause = clause(kind().charAt(0), op.identity().index());
        String detail = previous.kind() + (previous.index() == null ? "" : " " + previous.index());
        context.executor()
                .inTransaction(context.recording(
                        List.of("ALTER TABLE " + context.qualified(table) + " REPLICA IDENTITY " + clause), detail));
    }

    @Override
    public void complete(ExecutionContext context) {
        // in effect since start
    }

    /** Gives the table back the identity start replaced (recorded with the start, in the same transaction). */
    @Override
    public void rollback(ExecutionContext context) throws SQLException {
        String previous = context.startDetail();
        if (previous == null) {
            return; // the start never committed
        }
        String clause = clause(previous.charAt(0), previous.length() > 2 ? previous.substring(2) : null);
        context.executor()
                .inTransaction("ALTER TABLE "
                        + context.qualified(context.table(op.table()).physicalName()) + " REPLICA IDENTITY " + clause);
    }

    /**
     * The REPLICA IDENTITY clause of a kind, by its first letter: the file's word (full, default, nothing,
     * index) and the catalog's relreplident (f, d, n, i) agree on it.
     */
    private static String clause(char kind, String index) {
        return switch (kind) {
            case 'f' -> "FULL";
            case 'n' -> "NOTHING";
            case 'i' -> "USING INDEX " + Sql.ident(index);
            default -> "DEFAULT";
        };
    }

    /** Nothing: start is one transaction with its record, so a start that did not commit changed nothing. */
    @Override
    public void abandon(ExecutionContext context) {}
}
