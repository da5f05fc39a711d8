package io.pgroll.engine.internal.operations;

import io.pgroll.engine.internal.catalog.CatalogColumn;
import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.catalog.CatalogTable;
import io.pgroll.engine.internal.operations.ColumnExpansion.ConcurrentIndex;
import io.pgroll.engine.internal.operations.ColumnExpansion.NotValidConstraint;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.internal.sql.SqlExpressions;
import io.pgroll.engine.internal.sql.SqlStates;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Columns of one table that change how they look to the new version (type, nullability, default,
 * constraints). Each gets a copy in a temporary column ({@link ColumnExpansion}), kept in step with
 * the original in both directions by triggers ({@code up} fills the copy on the old version's writes,
 * {@code down} fills the original on the new version's), and backfilled. The table's indexes and
 * constraints on those columns are carried over to the copies under temporary names, built without
 * blocking writes; at complete the originals are dropped and everything takes back its name, in one
 * short transaction. Rollback drops the copies and loses nothing the old version can see.
 *
 * <p>A column is named by the migration as the new version names it at that point of the migration;
 * the column it replaces keeps its physical name until complete, which a rename_column earlier in the
 * migration may make different. The copy is named after that physical column, so every phase finds it
 * under one name, and at complete it takes the name the migration gives the column.
 */
final class ColumnRewrite {
    private static final Pattern INDEX_HEAD =
            Pattern.compile("^CREATE (UNIQUE )?INDEX (?:\"(?:[^\"]|\"\")*\"|\\S+) ON ");

    /**
     * The new shape of one column. Null {@code type}/{@code nullable}, and a null Optional for
     * {@code defaultValue}/{@code comment}, keep the column's current one; an empty Optional removes it.
     */
    record Change(
            String column,
            String type,
            Boolean nullable,
            Optional<String> defaultValue,
            Optional<String> comment,
            String up,
            String down) {
        // defaultValue and comment are tri-state, as alter_column's fields: null leaves them as they are
        @SuppressWarnings("NullOptional")
        static Change keep(String column, String up, String down) {
            return new Change(column, null, null, null, null, up, down);
        }
    }

    /**
     * What made a copy: the physical column it replaces and the changes, in the migration's order, of
     * every operation that rewrote the column. The first made the copy; each later one amends it.
     */
    record Rewritten(String origin, List<Change> changes) {
        Rewritten {
            changes = List.copyOf(changes);
        }

        Rewritten then(Change change) {
            List<Change> all = new ArrayList<>(changes);
            all.add(change);
            return new Rewritten(origin, all);
        }
    }

    /**
     * A copy of a foreign key that involves a changed column, on either side: one of the table's own
     * over its copies, or one of another table (or of itself) referencing the copies. Added NOT VALID
     * on {@code table} once the copies' unique indexes exist, validated, renamed at complete.
     */
    private record ForeignKeyCopy(
            String table, String startName, String finalName, String definition, boolean validate) {}

    private final String table;
    private final List<Change> changes;
    /** By the column's name in the migration: the physical column it replaces. */
    private final Map<String, String> originals;

    /** Whether the columns live in copies an earlier operation made, which this one amends. */
    private final boolean amending;

    private final Set<String> droppedConstraints;
    private final List<NotValidConstraint> addedConstraints;
    private final List<ConcurrentIndex> addedIndexes;

    /**
     * @param table the table as the new version names it
     * @param droppedConstraints constraints of the table the copies do not carry over
     * @param addedConstraints new constraints, written over the temporary columns
     * @param addedIndexes new indexes, written over the temporary columns
     */
    ColumnRewrite(
            ExecutionContext context,
            String table,
            List<Change> changes,
            Set<String> droppedConstraints,
            List<NotValidConstraint> addedConstraints,
            List<ConcurrentIndex> addedIndexes) {
        this.table = table;
        this.changes = List.copyOf(changes);
        this.originals = new LinkedHashMap<>();
        for (Change change : changes) {
            originals.put(change.column(), context.physicalColumn(table, change.column()));
        }
        VirtualTable found = context.before().table(table).orElse(null);
        long rewritten = originals.values().stream()
                .filter(physical ->
                        found != null && found.rewrittenInto(physical).isPresent())
                .count();
        if (rewritten != 0 && rewritten != originals.size()) {
            // validation refuses it (ColumnRules.requireAllOrNoneRewritten)
            throw new IllegalStateException("columns " + originals.keySet() + " mix copies and originals");
        }
        this.amending = rewritten != 0;
        this.droppedConstraints = Set.copyOf(droppedConstraints);
        this.addedConstraints = List.copyOf(addedConstraints);
        this.addedIndexes = List.copyOf(addedIndexes);
    }

    /**
     * The copy of {@code column} of {@code table} that this operation's rewrite writes: the one an
     * earlier operation of the migration made, or a new one.
     */
    static String copyOf(ExecutionContext context, String table, String column) {
        String physical = context.physicalColumn(table, column);
        boolean rewrittenEarlier = context.before()
                .table(table)
                .flatMap(t -> t.rewrittenInto(physical))
                .isPresent();
        return rewrittenEarlier ? physical : TemporaryNames.newColumn(physical);
    }

    /** The new version sees each changed column in its copy, made now or by an earlier rewrite. */
    static void apply(VirtualSchema schema, String table, List<Change> changes) {
        schema.table(table).ifPresent(t -> {
            for (Change change : changes) {
                t.column(change.column()).ifPresent(c -> {
                    Optional<Rewritten> earlier = t.rewrittenInto(c.physicalName());
                    String copy = earlier.isPresent() ? c.physicalName() : TemporaryNames.newColumn(c.physicalName());
                    t.rewrittenInto(
                            copy,
                            earlier.map(e -> e.then(change))
                                    .orElseGet(() -> new Rewritten(c.physicalName(), List.of(change))));
                    t.putColumn(new VirtualColumn(
                            c.name(),
                            copy,
                            change.type() != null ? change.type() : c.type(),
                            change.nullable() != null ? change.nullable() : c.nullable()));
                });
            }
        });
    }

    void start(ExecutionContext context) throws SQLException {
        if (amending) {
            new CopyAmendment(this).start(context);
            return;
        }
        VirtualTable virtual = context.table(table);
        String physical = virtual.physicalName();
        CatalogTable catalog = context.readCatalog()
                .table(physical)
                .orElseThrow(
                        () -> new SQLException("table \"" + physical + "\" does not exist", SqlStates.UNDEFINED_TABLE));
        List<ColumnExpansion> expansions = new ArrayList<>();
        for (Change change : changes) {
            expansions.add(expansion(context, virtual, catalog, change));
        }
        List<NotValidConstraint> constraints = new ArrayList<>(addedConstraints);
        List<ConcurrentIndex> indexes = new ArrayList<>(addedIndexes);
        carriedOver(context, physical, constraints, indexes);

        List<String> statements = new ArrayList<>();
        for (ColumnExpansion expansion : expansions) {
            statements.addAll(expansion.expand(context));
        }
        for (NotValidConstraint c : constraints) {
            statements.add("ALTER TABLE " + context.qualified(physical) + " ADD CONSTRAINT " + Sql.ident(c.startName())
                    + " " + c.definition() + " NOT VALID");
        }
        for (Change change : changes) {
            String original = original(change);
            statements.addAll(columnGrants(context, physical, original, TemporaryNames.newColumn(original)));
        }
        Map<String, ColumnTrigger.Variable> newVersionRow = ColumnTrigger.newVersionRow(context, physical);
        for (Change change : changes) {
            statements.addAll(new ColumnTrigger(
                            context,
                            physical,
                            original(change),
                            ColumnTrigger.Direction.DOWN,
                            original(change),
                            change.down(),
                            newVersionRow)
                    .create(context));
        }
        // One short transaction: the copies and the triggers that keep both sides filled appear together.
        context.executor().inTransaction(statements);

        ColumnExpansion.backfill(context, physical, expansions);
        for (ColumnExpansion expansion : expansions) {
            expansion.afterBackfill(context);
        }
        for (NotValidConstraint c :
                constraints.stream().filter(NotValidConstraint::validate).toList()) {
            // SHARE UPDATE EXCLUSIVE: the scan blocks neither reads nor writes
            context.executor()
                    .concurrently("ALTER TABLE " + context.qualified(physical) + " VALIDATE CONSTRAINT "
                            + Sql.ident(c.startName()));
        }
        for (ConcurrentIndex index : indexes) {
            ConcurrentIndexes.build(context, index.startName(), index.createSql());
        }
        for (ForeignKeyCopy fk : foreignKeys(context, physical)) {
            if (!context.catalog().constraintExists(fk.table(), fk.startName())) {
                // SHARE ROW EXCLUSIVE on both tables for a catalog change; the scan is the VALIDATE below
                context.executor()
                        .inTransaction("ALTER TABLE " + context.qualified(fk.table()) + " ADD CONSTRAINT "
                                + Sql.ident(fk.startName()) + " " + fk.definition() + " NOT VALID");
            }
            if (fk.validate()) {
                context.executor()
                        .concurrently("ALTER TABLE " + context.qualified(fk.table()) + " VALIDATE CONSTRAINT "
                                + Sql.ident(fk.startName()));
            }
        }
    }

    private ColumnExpansion expansion(
            ExecutionContext context, VirtualTable virtual, CatalogTable catalog, Change change) throws SQLException {
        String column = original(change);
        CatalogColumn original = catalog.column(column)
                .orElseThrow(() -> new IllegalStateException("column " + column + " is not in the catalog"));
        // An unchanged type keeps the column's collation too: a case-insensitive one decides uniqueness.
        String type = change.type() != null
                ? change.type()
                : original.type()
                        + context.catalog()
                                .collation(virtual.physicalName(), column)
                                .map(collation -> " COLLATE " + Sql.qualified(collation.get(0), collation.get(1)))
                                .orElse("");
        String defaultValue;
        Optional<IdentityColumns.Identity> identity = IdentityColumns.of(context, virtual.physicalName(), column);
        if (identity.isPresent()) {
            defaultValue = identity.get().nextValue();
        } else if (change.defaultValue() != null) {
            defaultValue = change.defaultValue().orElse(null);
        } else if (original.defaultValue() != null && change.type() != null) {
            // the old default, cast to the new type where it can be; one that cannot is dropped, as pgroll does
            String cast = "CAST((" + original.defaultValue() + ") AS " + change.type() + ")";
            if (context.catalog()
                    .fitsRetyped(
                            virtual.physicalName(),
                            newTypes(),
                            "ALTER COLUMN " + Sql.ident(column) + " SET DEFAULT " + cast)) {
                defaultValue = cast;
            } else {
                defaultValue = null;
                context.listener()
                        .notice("column " + table + "." + change.column() + ": its default " + original.defaultValue()
                                + " does not fit type " + change.type() + ", so the new version's column has none");
            }
        } else {
            defaultValue = original.defaultValue();
        }
        String comment = change.comment() != null ? change.comment().orElse(null) : original.comment();
        boolean nullable = change.nullable() != null ? change.nullable() : original.nullable();
        return new ColumnExpansion(
                context.schemaName(),
                virtual.physicalName(),
                column,
                type,
                nullable,
                defaultValue,
                comment,
                List.of(),
                List.of(),
                change.up(),
                ColumnTrigger.oldVersionRow(context, virtual.physicalName()));
    }

    /**
     * One transaction: the down triggers go, a sequence an original owns passes to its copy, the
     * originals are dropped (their indexes and constraints with them), the copies take their names.
     */
    void complete(ExecutionContext context) throws SQLException {
        if (amending) {
            new CopyAmendment(this).complete(context);
            return;
        }
        VirtualTable virtual = context.table(table);
        String physical = virtual.physicalName();
        boolean anyCopyLeft = false;
        for (Change change : changes) {
            anyCopyLeft |= context.catalog().columnExists(physical, TemporaryNames.newColumn(original(change)));
        }
        if (!anyCopyLeft) {
            // this operation's complete committed already (it is one transaction): a re-run of complete
            // must not touch what now carries the final names
            return;
        }
        List<NotValidConstraint> constraints = new ArrayList<>(addedConstraints);
        List<ConcurrentIndex> indexes = new ArrayList<>(addedIndexes);
        carriedOver(context, physical, constraints, indexes);
        List<ForeignKeyCopy> foreignKeys = foreignKeys(context, physical);
        List<String> statements = new ArrayList<>();
        Map<String, IdentityColumns.Identity> identities = new LinkedHashMap<>();
        for (ForeignKeyCopy fk : foreignKeys) {
            // explicitly: an original that only references a changed column would block dropping it
            statements.add("ALTER TABLE " + context.qualified(fk.table()) + " DROP CONSTRAINT IF EXISTS "
                    + Sql.ident(fk.finalName()));
        }
        for (Change change : changes) {
            String original = original(change);
            statements.addAll(ColumnTrigger.drop(context, physical, original, ColumnTrigger.Direction.DOWN));
            String temporary = TemporaryNames.newColumn(original);
            if (context.catalog().columnExists(physical, temporary)) {
                statements.addAll(transferOwnedSequences(context, physical, original, temporary));
                Optional<IdentityColumns.Identity> identity = IdentityColumns.of(context, physical, original);
                if (identity.isPresent()) {
                    statements.addAll(IdentityColumns.beforeDrop(context, physical, temporary, identity.get()));
                    identities.put(change.column(), identity.get());
                }
                statements.add(
                        "ALTER TABLE " + context.qualified(physical) + " DROP COLUMN IF EXISTS " + Sql.ident(original));
            }
        }
        for (Change change : changes) {
            statements.addAll(ColumnExpansion.contractColumn(
                    context, context.schemaName(), physical, original(change), change.column()));
        }
        identities.forEach((column, identity) ->
                statements.addAll(IdentityColumns.afterRename(context, physical, column, identity)));
        statements.addAll(ColumnExpansion.contractConstraints(context, physical, constraints, indexes));
        for (ForeignKeyCopy fk : foreignKeys) {
            if (context.catalog().constraintExists(fk.table(), fk.startName())) {
                statements.add("ALTER TABLE " + context.qualified(fk.table()) + " RENAME CONSTRAINT "
                        + Sql.ident(fk.startName()) + " TO " + Sql.ident(fk.finalName()));
            }
        }
        context.executor().inTransaction(statements);
        for (Change change : changes) {
            virtual.column(change.column()).ifPresent(c -> virtual.putColumn(c.storedIn(change.column())));
        }
    }

    void rollback(ExecutionContext context) throws SQLException {
        if (amending) {
            // everything an amendment made lives on the copy or in its triggers, which the rollback
            // of the operation that made the copy drops: it comes next, operations roll back in reverse
            return;
        }
        String physical = context.table(table).physicalName();
        List<String> statements = new ArrayList<>();
        boolean leftAnything = false;
        for (ForeignKeyCopy fk : foreignKeys(context, physical)) {
            // a copy that references the copies depends on their unique index: it must go before them
            if (context.catalog().constraintExists(fk.table(), fk.startName())) {
                statements.add("ALTER TABLE " + context.qualified(fk.table()) + " DROP CONSTRAINT "
                        + Sql.ident(fk.startName()));
                leftAnything = true;
            }
        }
        for (Change change : changes) {
            String original = original(change);
            leftAnything |= ColumnExpansion.leftAnything(context, physical, original)
                    || context.catalog()
                            .functionExists(
                                    ColumnTrigger.name(context, physical, original, ColumnTrigger.Direction.DOWN));
            statements.addAll(ColumnTrigger.drop(context, physical, original, ColumnTrigger.Direction.DOWN));
            statements.addAll(ColumnExpansion.rollback(context, physical, original));
        }
        if (leftAnything) {
            // Dropping the copies drops the indexes and constraints built on them; the originals are untouched.
            context.executor().inTransaction(statements);
        }
    }

    /**
     * The table's constraints and indexes that involve a changed column, rewritten over the copies:
     * checks and foreign keys (added NOT VALID, validated), unique and primary key constraints and
     * plain indexes (built concurrently). Each keeps a temporary name until complete.
     */
    private void carriedOver(
            ExecutionContext context,
            String physical,
            List<NotValidConstraint> constraints,
            List<ConcurrentIndex> indexes)
            throws SQLException {
        List<String> columns = List.copyOf(originals.values());
        for (CatalogQueries.ConstraintDefinition constraint :
                context.catalog().constraintsOverColumns(physical, columns)) {
            String name = constraint.name();
            if (droppedConstraints.contains(name)) {
                continue;
            }
            if (constraint.type().equals("c") && !fitsNewTypes(context, physical, constraint)) {
                context.listener()
                        .notice("check constraint " + name + " of table " + table + " does not fit the columns' new"
                                + " types, so the new version's columns go without it, as in pgroll");
                continue;
            }
            String temporaryName = TemporaryNames.of("new", name);
            switch (constraint.type()) {
                case "c" -> constraints.add(new NotValidConstraint(
                        temporaryName, name, overCopies(withoutNotValid(constraint.definition()))));
                default -> indexes.add(new ConcurrentIndex(
                        temporaryName,
                        name,
                        concurrentCopy(constraint.indexDefinition(), temporaryName),
                        constraint.type().equals("p") ? "PRIMARY KEY" : "UNIQUE",
                        (constraint.deferrable() ? " DEFERRABLE" : "")
                                + (constraint.initiallyDeferred() ? " INITIALLY DEFERRED" : "")));
            }
        }
        for (CatalogQueries.IndexDefinition index : context.catalog().plainIndexesOverColumns(physical, columns)) {
            String temporaryName = TemporaryNames.of("new", index.name());
            indexes.add(new ConcurrentIndex(
                    temporaryName, index.name(), concurrentCopy(index.definition(), temporaryName), null, ""));
        }
    }

    /**
     * The foreign keys that involve a changed column (the originals, not copies), each as the copy to
     * make: its own columns over the copies when it is the table's, its referenced columns over the
     * copies when it references the table. Tables of the target schema only.
     */
    private List<ForeignKeyCopy> foreignKeys(ExecutionContext context, String physical) throws SQLException {
        List<String> columns = List.copyOf(originals.values());
        List<ForeignKeyCopy> copies = new ArrayList<>();
        for (CatalogQueries.ForeignKeyDefinition fk : context.catalog().foreignKeysOverColumns(physical, columns)) {
            if (droppedConstraints.contains(fk.name())) {
                continue;
            }
            String definition = withoutNotValid(fk.definition());
            int references = definition.indexOf(" REFERENCES ");
            String head = definition.substring(0, references);
            String tail = definition.substring(references);
            int open = tail.indexOf('(');
            int close = tail.indexOf(')', open);
            String referenced = fk.referencesTable()
                    ? tail.substring(0, open) + overCopies(tail.substring(open, close)) + tail.substring(close)
                    : tail;
            copies.add(new ForeignKeyCopy(
                    fk.table(),
                    TemporaryNames.of("new", fk.name()),
                    fk.name(),
                    (fk.ofTable() ? overCopies(head) : head) + referenced,
                    fk.validated()));
        }
        return copies;
    }

    /** pg_get_constraintdef ends an unvalidated constraint's text with NOT VALID; the copy adds its own. */
    private static String withoutNotValid(String definition) {
        return definition.endsWith(" NOT VALID")
                ? definition.substring(0, definition.length() - " NOT VALID".length())
                : definition;
    }

    /** An SQL text with every changed column renamed to its copy. */
    private String overCopies(String sql) {
        String rewritten = sql;
        for (String original : originals.values()) {
            rewritten = SqlExpressions.renameColumn(rewritten, original, TemporaryNames.newColumn(original));
        }
        return rewritten;
    }

    String table() {
        return table;
    }

    List<Change> changes() {
        return changes;
    }

    Set<String> droppedConstraints() {
        return droppedConstraints;
    }

    List<NotValidConstraint> addedConstraints() {
        return addedConstraints;
    }

    List<ConcurrentIndex> addedIndexes() {
        return addedIndexes;
    }

    /** The physical column that the copy of {@code change}'s column replaces. */
    private String original(Change change) {
        return originals.get(change.column());
    }

    /** {@code CREATE [UNIQUE] INDEX CONCURRENTLY <name> ON ...}, over the copies, from pg_get_indexdef's text. */
    private String concurrentCopy(String indexDefinition, String name) {
        Matcher head = INDEX_HEAD.matcher(indexDefinition);
        if (!head.find()) {
            throw new IllegalStateException("unexpected index definition: " + indexDefinition);
        }
        String rest = indexDefinition.substring(head.end());
        int using = rest.indexOf(" USING ");
        return "CREATE " + (head.group(1) == null ? "" : "UNIQUE ") + "INDEX CONCURRENTLY " + Sql.ident(name) + " ON "
                + rest.substring(0, using) + overCopies(rest.substring(using));
    }

    /** A serial column owns its sequence; dropping the original would drop it too, so the copy takes it. */
    private static List<String> transferOwnedSequences(
            ExecutionContext context, String table, String column, String copy) throws SQLException {
        List<String> statements = new ArrayList<>();
        for (String sequence : context.catalog().ownedSequences(table, column)) {
            // regclass::text is already a valid, quoted-as-needed sequence name
            statements.add(
                    "ALTER SEQUENCE " + sequence + " OWNED BY " + context.qualified(table) + "." + Sql.ident(copy));
        }
        return statements;
    }

    /** GRANTs that give {@code copy} the column-level privileges {@code column} has. */
    private static List<String> columnGrants(ExecutionContext context, String table, String column, String copy)
            throws SQLException {
        List<String> grants = new ArrayList<>();
        for (CatalogQueries.Grant grant : context.catalog().columnGrants(table, column)) {
            grants.add("GRANT " + grant.privilege() + " (" + Sql.ident(copy) + ") ON " + context.qualified(table)
                    + " TO " + (grant.grantee() == null ? "PUBLIC" : Sql.ident(grant.grantee()))
                    + (grant.grantable() ? " WITH GRANT OPTION" : ""));
        }
        return grants;
    }

    /** The new types of the columns whose type changes. */
    private Map<String, String> newTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        for (Change change : changes) {
            if (change.type() != null) {
                types.put(original(change), change.type());
            }
        }
        return types;
    }

    private boolean fitsNewTypes(
            ExecutionContext context, String physical, CatalogQueries.ConstraintDefinition constraint)
            throws SQLException {
        Map<String, String> types = newTypes();
        return types.isEmpty()
                || context.catalog()
                        .fitsRetyped(
                                physical,
                                types,
                                "ADD CONSTRAINT " + Sql.ident(constraint.name()) + " "
                                        + withoutNotValid(constraint.definition()));
    }
}
