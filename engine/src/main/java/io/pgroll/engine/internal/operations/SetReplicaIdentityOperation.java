package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.model.SetReplicaIdentity;
import java.sql.SQLException;
import java.util.Locale;

/**
 * {@code set_replica_identity}: what logical replication logs for updates and deletes. It changes
 * nothing either version sees, so it is applied at complete (ACCESS EXCLUSIVE for a catalog update,
 * under the lock timeout) and rollback has nothing to restore.
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

    @Override
    public void start(ExecutionContext context) {
        // applied at complete
    }

    @Override
    public void complete(ExecutionContext context) throws SQLException {
        String identity =
                switch (kind()) {
                    case "full" -> "FULL";
                    case "nothing" -> "NOTHING";
                    case "index" -> "USING INDEX " + Sql.ident(op.identity().index());
                    default -> "DEFAULT";
                };
        context.executor()
                .inTransaction("ALTER TABLE "
                        + context.qualified(context.table(op.table()).physicalName()) + " REPLICA IDENTITY "
                        + identity);
    }

    @Override
    public void rollback(ExecutionContext context) {
        // nothing was changed at start
    }
}
