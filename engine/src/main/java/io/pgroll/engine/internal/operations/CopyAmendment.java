package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.operations.ColumnExpansion.ConcurrentIndex;
import io.pgroll.engine.internal.operations.ColumnExpansion.NotValidConstraint;
import io.pgroll.engine.internal.operations.ColumnRewrite.Change;
import io.pgroll.engine.internal.operations.ColumnRewrite.Rewritten;
import io.pgroll.engine.internal.sql.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A rewrite of columns that an earlier operation of the migration rewrote already: it changes their
 * copies instead of copying them again, as pgroll does. The copy's triggers become the chain of every
 * rewrite's expressions ({@code up} in the migration's order, {@code down} in reverse), so that each
 * version keeps reading and writing exactly its own shape; its constraints are added to the copy,
 * NOT VALID and validated after the backfill that recomputes the copy when {@code up} changes it.
 *
 * <p>The operation that made the copy completes first, and gives the copy its name and the NOT NULL
 * that a check made here stands for (the check carries the copy's name); this one's complete only
 * gives its constraints their final names. Rollback has nothing of its own to undo: all of it lives
 * on the copy and in its triggers, which the rollback of the operation that made the copy drops.
 */
final class CopyAmendment {
    private final ColumnRewrite rewrite;

    CopyAmendment(ColumnRewrite rewrite) {
        this.rewrite = rewrite;
    }

    void start(ExecutionContext context) throws SQLException {
        String physical = context.table(rewrite.table()).physicalName();
        VirtualTable before = context.before()
                .table(rewrite.table())
                .orElseThrow(() -> new IllegalStateException("table " + rewrite.table() + " is not in the migration"));
        List<String> statements = new ArrayList<>();
        List<String> notNullChecks = new ArrayList<>();
        boolean recompute = false;
        for (Change change : rewrite.changes()) {
            String copy = context.physicalColumn(rewrite.table(), change.column());
            Rewritten earlier = before.rewrittenInto(copy)
                    .orElseThrow(() -> new IllegalStateException("column " + copy + " is not a rewrite's copy"));
            String type = ColumnTrigger.declarableType(
                    before.column(change.column()).map(VirtualColumn::type).orElseThrow());
            statements.addAll(upChain(context, physical, copy, type, earlier, change));
            statements.addAll(downChain(context, physical, copy, type, earlier, change));
            recompute |= !isItself(change.up(), change.column());
            statements.addAll(shape(context, physical, copy, earlier.origin(), change, notNullChecks));
        }
        for (String dropped : rewrite.droppedConstraints()) {
            statements.addAll(dropCarriedOver(context, physical, dropped));
        }
        for (NotValidConstraint c : rewrite.addedConstraints()) {
            statements.add("ALTER TABLE " + context.qualified(physical) + " ADD CONSTRAINT " + Sql.ident(c.startName())
                    + " " + c.definition() + " NOT VALID");
        }
        // One short transaction: the chained triggers and the copy's new shape appear together.
        context.executor().inTransaction(statements);
        if (recompute) {
            // the chain of expressions is the trigger's alone
            ColumnExpansion.touchAll(context, physical);
        }
        List<String> toValidate = new ArrayList<>(notNullChecks);
        rewrite.addedConstraints().stream()
                .filter(NotValidConstraint::validate)
                .map(NotValidConstraint::startName)
                .forEach(toValidate::add);
        for (String constraint : toValidate) {
            // SHARE UPDATE EXCLUSIVE: the scan blocks neither reads nor writes
            context.executor()
                    .concurrently("ALTER TABLE " + context.qualified(physical) + " VALIDATE CONSTRAINT "
                            + Sql.ident(constraint));
        }
        for (ConcurrentIndex index : rewrite.addedIndexes()) {
            ConcurrentIndexes.build(context, index.startName(), index.createSql());
        }
    }

    /** The old version's writes: the copy is {@code up} of every rewrite, each over the one before. */
    private static List<String> upChain(
            ExecutionContext context, String physical, String copy, String type, Rewritten earlier, Change change)
            throws SQLException {
        List<ColumnTrigger.Step> steps = new ArrayList<>();
        for (Change step : earlier.then(change).changes()) {
            steps.add(new ColumnTrigger.Step(step.up(), List.of(step.column())));
        }
        return new ColumnTrigger(
                        context,
                        physical,
                        earlier.origin(),
                        ColumnTrigger.Direction.UP,
                        copy,
                        steps,
                        type,
                        ColumnTrigger.oldVersionRow(context, physical))
                .create(context);
    }

    /**
     * The new version's writes: the original is {@code down} of every rewrite in reverse, this one's
     * over the new version's row, each earlier one over the value the later one gave back.
     */
    private static List<String> downChain(
            ExecutionContext context, String physical, String copy, String type, Rewritten earlier, Change change)
            throws SQLException {
        String finalName = context.newVersion().tables().stream()
                .filter(t -> t.physicalName().equals(physical))
                .flatMap(t -> t.columnStoredIn(copy).stream())
                .map(VirtualColumn::name)
                .findFirst()
                .orElse(change.column());
        List<ColumnTrigger.Step> steps = new ArrayList<>();
        steps.add(new ColumnTrigger.Step(change.down(), List.of()));
        List<Change> changes = earlier.changes();
        for (int i = changes.size() - 1; i >= 0; i--) {
            Set<String> names = new LinkedHashSet<>(List.of(changes.get(i).column(), finalName));
            steps.add(new ColumnTrigger.Step(changes.get(i).down(), List.copyOf(names)));
        }
        return new ColumnTrigger(
                        context,
                        physical,
                        earlier.origin(),
                        ColumnTrigger.Direction.DOWN,
                        earlier.origin(),
                        steps,
                        type,
                        ColumnTrigger.newVersionRow(context, physical))
                .create(context);
    }

    /**
     * The copy's default, comment and nullability as the change sets them. NOT NULL starts as a NOT
     * VALID check named as the copy's own would be, which the complete of the copy's maker turns into
     * NOT NULL.
     */
    private static List<String> shape(
            ExecutionContext context,
            String physical,
            String copy,
            String origin,
            Change change,
            List<String> notNullChecks) {
        String alter = "ALTER TABLE " + context.qualified(physical) + " ";
        List<String> statements = new ArrayList<>();
        if (change.defaultValue() != null) {
            statements.add(alter + "ALTER COLUMN " + Sql.ident(copy)
                    + change.defaultValue().map(d -> " SET DEFAULT " + d).orElse(" DROP DEFAULT"));
        }
        if (change.comment() != null) {
            statements.add("COMMENT ON COLUMN " + context.qualified(physical) + "." + Sql.ident(copy) + " IS "
                    + Sql.literal(change.comment().orElse(null)));
        }
        String check = ColumnExpansion.notNullCheck(origin);
        if (Boolean.FALSE.equals(change.nullable())) {
            statements.add(alter + "ADD CONSTRAINT " + Sql.ident(check) + " CHECK (" + Sql.ident(copy)
                    + " IS NOT NULL) NOT VALID");
            notNullChecks.add(check);
        } else if (Boolean.TRUE.equals(change.nullable())) {
            statements.add(alter + "DROP CONSTRAINT IF EXISTS " + Sql.ident(check));
            statements.add(alter + "ALTER COLUMN " + Sql.ident(copy) + " DROP NOT NULL");
        }
        return statements;
    }

    /** The copy of a constraint the earlier rewrite carried over to the copy, which this one drops. */
    private static List<String> dropCarriedOver(ExecutionContext context, String physical, String constraint)
            throws SQLException {
        String carried = TemporaryNames.of("new", constraint);
        CatalogQueries catalog = context.catalog();
        if (catalog.constraintExists(physical, carried)) {
            return List.of("ALTER TABLE " + context.qualified(physical) + " DROP CONSTRAINT " + Sql.ident(carried));
        }
        if (catalog.relationExists(carried)) {
            // a unique or primary key copy is an index until complete attaches it
            return List.of("DROP INDEX " + context.qualified(carried));
        }
        return List.of();
    }

    /** Only the constraints take their final names: the copy's maker completed the column itself. */
    void complete(ExecutionContext context) throws SQLException {
        String physical = context.table(rewrite.table()).physicalName();
        List<String> statements = ColumnExpansion.contractConstraints(
                context, physical, rewrite.addedConstraints(), rewrite.addedIndexes());
        if (!statements.isEmpty()) {
            context.executor().inTransaction(statements);
        }
    }

    private static boolean isItself(String expression, String column) {
        String e = expression.strip();
        return e.equals(column) || e.equals(Sql.ident(column));
    }
}
