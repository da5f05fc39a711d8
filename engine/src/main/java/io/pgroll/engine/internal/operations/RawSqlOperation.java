package io.pgroll.engine.internal.operations;

import io.pgroll.engine.model.RawSql;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code sql}: the migration's own SQL, run as written with the target schema on the search path.
 * {@code up} runs at start (or at complete with {@code onComplete}); {@code down}, if given, at rollback.
 * The tool cannot make such SQL lock-safe; it only bounds its lock waits with the lock timeout.
 */
final class RawSqlOperation implements OperationAction {
    private final RawSql op;

    RawSqlOperation(RawSql op) {
        this.op = op;
    }

    @Override
    public void validate(ValidationContext context) {
        if (ConstraintSql.blank(op.up())) {
            throw new InvalidOperationException("`up` is empty; give it the SQL to run (a baseline's placeholder, as"
                    + " `pgroll baseline` and `pull` write it, is to be given the schema's DDL, e.g. from pg_dump"
                    + " --schema-only)");
        }
        context.schemaBecameUncertain();
    }

    @Override
    public void apply(VirtualSchema schema) {
        // unknown until run; the engine re-reads the catalog after it
    }

    @Override
    public void start(ExecutionContext context) throws SQLException {
        if (!op.onComplete()) {
            context.executor().inTransaction(context.recording(List.of(op.up())));
        }
    }

    @Override
    public void complete(ExecutionContext context) throws SQLException {
        if (op.onComplete()) {
            context.executor().inTransaction(context.recording(List.of(op.up())));
        }
    }

    @Override
    public void rollback(ExecutionContext context) throws SQLException {
        if (!op.onComplete() && !ConstraintSql.blank(op.down())) {
            context.executor().inTransaction(context.recording(List.of(op.down())));
        }
    }

    /**
     * Nothing: {@code up} runs in one transaction with the record of its start, so an {@code up} that
     * failed or never committed left nothing, and {@code down} (written to undo a whole {@code up}) must
     * not run: it could drop what existed before, such as a table {@code up} failed to create.
     */
    @Override
    public void abandon(ExecutionContext context) {}

    /** Whether it changed the catalog at start, so that the virtual schema must be read again. */
    boolean runsAtStart() {
        return !op.onComplete();
    }
}
