package io.pgroll.engine.internal.operations;

import java.sql.SQLException;

/** An operation whose start, complete and rollback are those of one {@link ColumnRewrite}. */
abstract class RewritingOperation implements OperationAction {
    /** The rewrite as the catalog and the virtual schema of the context describe it. */
    abstract ColumnRewrite rewrite(ExecutionContext context) throws SQLException;

    @Override
    public final void start(ExecutionContext context) throws SQLException {
        rewrite(context).start(context);
    }

    @Override
    public final void complete(ExecutionContext context) throws SQLException {
        rewrite(context).complete(context);
    }

    @Override
    public final void rollback(ExecutionContext context) throws SQLException {
        rewrite(context).rollback(context);
    }
}
