package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.catalog.CatalogSchema;
import io.pgroll.engine.model.AddColumn;
import io.pgroll.engine.model.AlterColumn;
import io.pgroll.engine.model.CreateConstraint;
import io.pgroll.engine.model.CreateIndex;
import io.pgroll.engine.model.CreateTable;
import io.pgroll.engine.model.DropColumn;
import io.pgroll.engine.model.DropConstraint;
import io.pgroll.engine.model.DropIndex;
import io.pgroll.engine.model.DropMultiColumnConstraint;
import io.pgroll.engine.model.DropTable;
import io.pgroll.engine.model.Operation;
import io.pgroll.engine.model.RawSql;
import io.pgroll.engine.model.RenameColumn;
import io.pgroll.engine.model.RenameConstraint;
import io.pgroll.engine.model.RenameTable;
import io.pgroll.engine.model.SetReplicaIdentity;
import java.sql.SQLException;
import java.util.List;

/**
 * What the commands use of this package: the class that carries out each operation of the model, the
 * new version's schema replayed through operations, and the end of the old version's writes.
 */
public final class Operations {
    private Operations() {}

    /**
     * The schema the new version sees once {@code operations} have applied to {@code catalog}: at start
     * the whole migration over the catalog before it; at complete and rollback, up to an operation over
     * the catalog as it is now, since the operations before it may have renamed what it works on.
     */
    public static VirtualSchema replay(CatalogSchema catalog, List<Operation> operations) {
        VirtualSchema schema = VirtualSchema.of(catalog);
        for (Operation operation : operations) {
            of(operation).apply(schema);
        }
        return schema;
    }

    /**
     * With the old version gone, its writes need no translating any more: its triggers go first at
     * complete, so that none is left reading a column an earlier operation's complete has just dropped.
     */
    public static void dropOldVersionTriggers(ExecutionContext context) throws SQLException {
        context.executor().inTransaction(ColumnTrigger.dropAllUp(context));
    }

    public static OperationAction of(Operation operation) {
        if (operation instanceof CreateTable op) {
            return new CreateTableOperation(op);
        } else if (operation instanceof DropTable op) {
            return new DropTableOperation(op);
        } else if (operation instanceof RenameTable op) {
            return new RenameTableOperation(op);
        } else if (operation instanceof AddColumn op) {
            return new AddColumnOperation(op);
        } else if (operation instanceof CreateIndex op) {
            return new CreateIndexOperation(op);
        } else if (operation instanceof DropIndex op) {
            return new DropIndexOperation(op);
        } else if (operation instanceof RenameConstraint op) {
            return new RenameConstraintOperation(op);
        } else if (operation instanceof SetReplicaIdentity op) {
            return new SetReplicaIdentityOperation(op);
        } else if (operation instanceof RawSql op) {
            return new RawSqlOperation(op);
        } else if (operation instanceof AlterColumn op) {
            return new AlterColumnOperation(op);
        } else if (operation instanceof DropColumn op) {
            return new DropColumnOperation(op);
        } else if (operation instanceof RenameColumn op) {
            return new RenameColumnOperation(op);
        } else if (operation instanceof CreateConstraint op) {
            return new CreateConstraintOperation(op);
        } else if (operation instanceof DropConstraint op) {
            return new DropConstraintOperation(op);
        } else if (operation instanceof DropMultiColumnConstraint op) {
            return new DropConstraintOperation(op);
        }
        throw new IllegalArgumentException("no implementation for operation " + operation.kind());
    }
}
