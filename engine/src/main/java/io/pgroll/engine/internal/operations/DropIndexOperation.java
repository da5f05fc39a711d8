package io.pgroll.engine.internal.operations;

import io.pgroll.engine.model.DropIndex;
import java.sql.SQLException;

/** {@code drop_index}: the old version may still rely on the index, so it goes at complete, CONCURRENTLY. */
final class DropIndexOperation implements OperationAction {
    private final DropIndex op;

    DropIndexOperation(DropIndex op) {
        this.op = op;
    }

    @Override
    public void validate(ValidationContext context) {
        if (context.schemaIsExact() && !context.schema().hasRelation(op.name())) {
            throw new InvalidOperationException("index \"" + op.name() + "\" does not exist in schema \""
                    + context.schema().name() + "\"");
        }
    }

    @Override
    public void apply(VirtualSchema schema) {
        schema.removeRelation(op.name());
    }

    @Override
    public void start(ExecutionContext context) {
        // queries of the old version may still need it
    }

    @Override
    public void complete(ExecutionContext context) throws SQLException {
        context.executor().concurrently("DROP INDEX CONCURRENTLY IF EXISTS " + context.qualified(op.name()));
    }

    @Override
    public void rollback(ExecutionContext context) {
        // nothing was changed at start
    }
}
