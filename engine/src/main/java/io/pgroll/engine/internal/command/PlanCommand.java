package io.pgroll.engine.internal.command;

import io.pgroll.engine.MigrationListener;
import io.pgroll.engine.MigrationListener.BackfillProgress;
import io.pgroll.engine.PgrollException;
import io.pgroll.engine.PgrollException.ErrorKind;
import io.pgroll.engine.Plan;
import io.pgroll.engine.convert.SqlReach;
import io.pgroll.engine.internal.EngineSettings;
import io.pgroll.engine.internal.catalog.CatalogQueries;
import io.pgroll.engine.internal.catalog.CatalogQueries.TableFile;
import io.pgroll.engine.internal.catalog.SchemaCopy;
import io.pgroll.engine.internal.operations.VersionSchemas;
import io.pgroll.engine.internal.sql.Sql;
import io.pgroll.engine.internal.sql.StatementObserver;
import io.pgroll.engine.internal.state.MigrationRecord;
import io.pgroll.engine.internal.state.StateSchema;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.RawSql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code plan}: rehearses start, rollback, start again and complete on an empty copy of the schema
 * (its own state schema beside it, the history copied in), watching every statement the engine runs
 * there, and drops the copy. The statements are the engine's own, not a prediction of them; their
 * locks, scans and rewrites are what the server did on the copy. Only the rows differ: the copy has
 * none, so each table's work carries the real table's estimate.
 */
public final class PlanCommand {
    private static final String COPY_PREFIX = "_pgroll_plan_";
    private static final String SHORT_PREFIX = "_pp";
    private static final String STATE_PREFIX = "_pgroll_plan_state_";

    private final CommandExecutor executor;

    public PlanCommand(CommandExecutor executor) {
        this.executor = executor;
    }

    public Plan plan(Migration migration, String source) {
        return executor.reading("plan " + migration.name(), session -> run(session, migration, source));
    }

    private static Plan run(Session session, Migration migration, String source) throws SQLException {
        refuseWhatStartWould(session, migration, source);
        refuseSqlThatReachesOut(session, migration, source);
        // two copies: a sql operation without down leaves its change in place after a rollback
        Rehearsal completed = rehearse(session, migration, source, true);
        Rehearsal rolledBack = rehearse(session, migration, source, false);
        return new Plan(
                migration.name(),
                session.settings().schema(),
                session.connection().getMetaData().getDatabaseMajorVersion(),
                completed.start(),
                completed.then(),
                rolledBack.then(),
                completed.notCopied(),
                completed.notices());
    }

    /** What one rehearsal ran: start, then complete or rollback. */
    private record Rehearsal(
            List<Plan.Step> start, List<Plan.Step> then, List<String> notCopied, List<String> notices) {}

    private static Rehearsal rehearse(Session session, Migration migration, String source, boolean complete)
            throws SQLException {
        EngineSettings real = session.settings();
        Connection connection = session.connection();
        CatalogQueries catalog = new CatalogQueries(connection, real.schema());
        String copy;
        do {
            copy = copyName(real.schema());
        } while (catalog.schemaExists(copy) || catalog.schemaExists(VersionSchemas.of(copy, migration)));
        String copyState = STATE_PREFIX + randomHex(8);
        try {
            SchemaCopy copied = SchemaCopy.create(connection, real.schema(), copy);
            StateSchema state = new StateSchema(copyState);
            state.installWithoutEventTriggers(connection);
            state.copyHistory(connection, real.stateSchema(), real.schema(), copy);
            Names names = new Names(real, copy, copyState, copied.oids(), new CatalogQueries(connection, copy));
            Recorder recorder = new Recorder(connection, copy, names, new CatalogQueries(connection, real.schema()));
            Session rehearsal = session.rehearsal(rehearsed(real, copy, copyState, recorder), recorder);
            try {
                List<Plan.Step> start = recorder.phase(() -> StartCommand.run(rehearsal, migration, source, false));
                List<Plan.Step> then = recorder.phase(
                        complete ? () -> CompleteCommand.run(rehearsal) : () -> RollbackCommand.run(rehearsal, false));
                return new Rehearsal(start, then, copied.notCopied(), recorder.notices);
            } catch (PgrollException e) {
                throw new PgrollException(
                        e.kind(), "plan: the rehearsal failed: " + names.real(e.getMessage()), e.getCause());
            }
        } finally {
            dropCopy(connection, real.schema(), List.of(copy, VersionSchemas.of(copy, migration), copyState));
        }
    }

    /** Start refuses these before it changes anything; so does its plan, with start's reasons. */
    private static void refuseWhatStartWould(Session session, Migration migration, String source) throws SQLException {
        String schema = session.settings().schema();
        Optional<MigrationRecord> active = session.history().activeMigration();
        if (active.isPresent()) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    source + ": cannot plan migration \"" + migration.name() + "\": migration \""
                            + active.get().name() + "\" is in progress on schema \"" + schema + "\", and start"
                            + " refuses until it is completed or rolled back. Nothing was changed.");
        }
        if (session.history().migration(migration.name()).isPresent()) {
            throw new PgrollException(
                    ErrorKind.WRONG_STATE,
                    source + ": migration \"" + migration.name() + "\" is already applied on schema \"" + schema
                            + "\": start would do nothing, so there is nothing to plan.");
        }
    }

    /**
     * A {@code sql} operation runs on the copy as written: one that names another schema (the real one
     * above all), moves the search path or builds statements as it runs could change what the plan must
     * not touch, so the plan is refused before anything runs.
     */
    private static void refuseSqlThatReachesOut(Session session, Migration migration, String source)
            throws SQLException {
        Set<String> schemas = new TreeSet<>(
                new CatalogQueries(session.connection(), session.settings().schema()).schemaNames());
        schemas.removeAll(Set.of("pg_catalog", "information_schema"));
        for (int i = 0; i < migration.operations().size(); i++) {
            if (!(migration.operations().get(i) instanceof RawSql sql)) {
                continue;
            }
            SqlReach reach = SqlReach.of(String.valueOf(sql.up()) + ";\n" + String.valueOf(sql.down()));
            Set<String> named = new TreeSet<>(reach.qualifiers());
            named.retainAll(schemas);
            String why = !named.isEmpty()
                    ? "names schema " + named.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "))
                            + " (write the names unqualified: they resolve in the migrated schema, first on the path)"
                    : reach.changesSearchPath()
                            ? "changes the search path, after which its names could resolve outside the copy"
                            : reach.buildsStatements()
                                    ? "builds statements as it runs (EXECUTE), which cannot be checked beforehand"
                                    : null;
            if (why != null) {
                throw new PgrollException(
                        ErrorKind.VALIDATION_FAILED,
                        source + ": cannot plan operation " + (i + 1) + " (sql): it " + why + ", and plan runs it on"
                                + " an empty copy of schema \""
                                + session.settings().schema() + "\", which it must"
                                + " not reach beyond. start runs it as written. Nothing was changed.");
            }
        }
    }

    private static EngineSettings rehearsed(
            EngineSettings real, String copy, String copyState, MigrationListener listener) {
        return new EngineSettings(
                real.dataSource(),
                copy,
                copyState,
                real.lockTimeout(),
                real.lockRetryBudget(),
                real.concurrentStatementTimeout(),
                real.migratorWait(),
                real.role(),
                real.backfill().withoutReplicaBound(),
                real.useVersionSchema(),
                true,
                listener);
    }

    /**
     * A name for the copy as long as the schema's own (at least 6 bytes), so that the version schema's
     * name, checked against PostgreSQL's 63 bytes, is as long in the rehearsal as for real.
     */
    private static String copyName(String schema) {
        int length = Math.max(6, schema.getBytes(StandardCharsets.UTF_8).length);
        String prefix = length >= COPY_PREFIX.length() + 8 ? COPY_PREFIX : SHORT_PREFIX;
        return prefix + randomHex(length - prefix.length());
    }

    private static String randomHex(int digits) {
        StringBuilder hex = new StringBuilder();
        while (hex.length() < digits) {
            hex.append(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        }
        return hex.substring(0, digits);
    }

    /** Drops the rehearsal's schemas (the copy, its version schema, its state) and puts the search path back. */
    private static void dropCopy(Connection connection, String schema, List<String> schemas) throws SQLException {
        try (Statement st = connection.createStatement()) {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            for (String name : schemas) {
                st.execute("DROP SCHEMA IF EXISTS " + Sql.ident(name) + " CASCADE");
            }
            st.execute("SET search_path = " + Sql.ident(schema));
        }
    }

    /** The rehearsal's names turned back into the real ones, in statements and messages. */
    private static final class Names {
        private static final Pattern NUMBER = Pattern.compile("(?<=_)(\\d+)(?=[_\"])");

        private final EngineSettings real;
        private final String copy;
        private final String copyState;
        private final Map<Long, Long> oids;
        private final CatalogQueries copyCatalog;
        private final Map<Long, String> createdTables = new HashMap<>();

        Names(EngineSettings real, String copy, String copyState, Map<Long, Long> oids, CatalogQueries copyCatalog) {
            this.copyCatalog = copyCatalog;
            this.real = real;
            this.copy = copy;
            this.copyState = copyState;
            this.oids = oids;
        }

        String real(String text) {
            if (text == null) {
                return null;
            }
            String named = text.replace(copyState, real.stateSchema()).replace(copy, real.schema());
            // the temporary names of triggers and indexes carry the table's OID
            Matcher m = NUMBER.matcher(named);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(original(m.group(1))));
            }
            m.appendTail(out);
            return out.toString();
        }

        /**
         * A copied table's OID as the real table's; a table the migration creates has none yet, and is
         * named instead: {@code <oid of tasks>}.
         */
        private String original(String digits) {
            long oid;
            try {
                oid = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                return digits;
            }
            Long original = oids.get(oid);
            if (original != null) {
                return String.valueOf(original);
            }
            String created = createdTables.get(oid);
            return created == null ? digits : "<oid of " + created + ">";
        }

        /** Takes note of the copy's tables before a statement, which may drop one it names. */
        void noteTables() throws SQLException {
            createdTables.putAll(copyCatalog.tablesByOid());
        }
    }

    /** Watches the rehearsal: each statement with what it did to the copy, in the phase being recorded. */
    private static final class Recorder implements StatementObserver, MigrationListener {
        private static final String QUALIFIED = "\"(?:[^\"]|\"\")*\"\\.\"((?:[^\"]|\"\")*)\"";
        private static final Pattern BUILT_ON = Pattern.compile(" ON (?:ONLY )?" + QUALIFIED);
        private static final Pattern DROPPED = Pattern.compile("^DROP INDEX CONCURRENTLY (?:IF EXISTS )?" + QUALIFIED);
        private static final Pattern VALIDATED = Pattern.compile("^ALTER TABLE " + QUALIFIED + " VALIDATE CONSTRAINT ");
        private static final List<String> MODES = List.of(
                "ACCESS SHARE",
                "ROW SHARE",
                "ROW EXCLUSIVE",
                "SHARE UPDATE EXCLUSIVE",
                "SHARE",
                "SHARE ROW EXCLUSIVE",
                "EXCLUSIVE",
                "ACCESS EXCLUSIVE");

        private final CatalogQueries copyCatalog;
        private final CatalogQueries realCatalog;
        private final Names names;
        private final List<String> notices = new ArrayList<>();
        /** The strongest lock, as its place in {@link #MODES}, that the transaction holds on each table. */
        private final Map<String, Integer> held = new HashMap<>();

        private List<Plan.Step> steps;
        private int transaction;
        private boolean concurrent;
        private int operation;
        private String operationDescription;
        private Map<String, TableFile> files = Map.of();
        private String concurrentTable;

        Recorder(Connection connection, String copy, Names names, CatalogQueries realCatalog) {
            this.copyCatalog = new CatalogQueries(connection, copy);
            this.realCatalog = realCatalog;
            this.names = names;
        }

        /** Runs a phase and returns what it ran. */
        List<Plan.Step> phase(Rehearsed work) throws SQLException {
            steps = new ArrayList<>();
            transaction = 0;
            operation = 0;
            operationDescription = null;
            try {
                work.run();
                return steps;
            } finally {
                steps = null;
            }
        }

        @FunctionalInterface
        interface Rehearsed {
            void run() throws SQLException;
        }

        @Override
        public void transactionBegins(boolean concurrently) {
            transaction++;
            concurrent = concurrently;
            held.clear();
        }

        @Override
        public void before(Connection connection, String sql) throws SQLException {
            if (steps == null) {
                return;
            }
            names.noteTables();
            if (concurrent) {
                concurrentTable = concurrentTable(sql);
            } else {
                files = copyCatalog.tableFiles();
            }
        }

        @Override
        public void after(Connection connection, String sql) throws SQLException {
            if (steps == null) {
                return;
            }
            List<Plan.TableLock> locks = new ArrayList<>();
            List<Plan.TableWork> work = new ArrayList<>();
            if (concurrent) {
                String table = concurrentTable;
                if (table != null) {
                    // its own transactions, outside the rehearsal's reach: the documented lock
                    locks.add(new Plan.TableLock(table, "SHARE UPDATE EXCLUSIVE"));
                    if (!sql.startsWith("DROP")) {
                        work.add(new Plan.TableWork(table, Plan.Work.SCAN, rows(table)));
                    }
                }
            } else {
                Map<String, Integer> strongest = new TreeMap<>();
                for (CatalogQueries.TableLock lock : copyCatalog.tableLocksHeld()) {
                    strongest.merge(lock.table(), MODES.indexOf(modeName(lock.mode())), Math::max);
                }
                strongest.forEach((table, mode) -> {
                    if (mode > held.getOrDefault(table, -1)) {
                        held.put(table, mode);
                        locks.add(new Plan.TableLock(table, MODES.get(mode)));
                    }
                });
                Map<String, TableFile> now = copyCatalog.tableFiles();
                for (Map.Entry<String, TableFile> file : new TreeMap<>(files).entrySet()) {
                    String table = file.getKey();
                    TableFile before = file.getValue();
                    TableFile after = now.get(table);
                    if (after != null && after.fileNode() != before.fileNode() && before.fileNode() != 0) {
                        work.add(new Plan.TableWork(table, Plan.Work.REWRITE, rows(table)));
                    } else if (after != null && after.scans() > before.scans()) {
                        work.add(new Plan.TableWork(table, Plan.Work.SCAN, rows(table)));
                    }
                }
            }
            steps.add(new Plan.Step(
                    operation,
                    operationDescription,
                    concurrent ? Plan.Kind.CONCURRENT : Plan.Kind.STATEMENT,
                    names.real(sql),
                    transaction,
                    locks,
                    work));
        }

        /**
         * The table of a statement run outside a transaction: named in an index build or a validation,
         * found from the index before a drop (the statements are the engine's own, each name quoted and
         * qualified).
         */
        private String concurrentTable(String sql) throws SQLException {
            Matcher built = BUILT_ON.matcher(sql);
            if (sql.startsWith("CREATE") && built.find()) {
                return unquote(built.group(1));
            }
            Matcher validated = VALIDATED.matcher(sql);
            if (validated.find()) {
                return unquote(validated.group(1));
            }
            Matcher dropped = DROPPED.matcher(sql);
            return dropped.find()
                    ? copyCatalog.tableOfIndex(unquote(dropped.group(1))).orElse(null)
                    : null;
        }

        private static String unquote(String name) {
            return name.replace("\"\"", "\"");
        }

        @Override
        public void operation(String migration, int index, String description, String phase) {
            operation = index;
            operationDescription = description;
        }

        @Override
        public void backfill(BackfillProgress progress) {
            if (steps == null || !progress.finished()) {
                return;
            }
            String table = progress.table();
            transaction++;
            steps.add(new Plan.Step(
                    operation,
                    operationDescription,
                    Plan.Kind.BACKFILL,
                    "UPDATE every row of " + Sql.ident(table) + " in batches, each its own transaction,"
                            + " firing the triggers that fill the new columns",
                    transaction,
                    List.of(new Plan.TableLock(table, "ROW EXCLUSIVE")),
                    List.of(new Plan.TableWork(table, Plan.Work.BACKFILL, rowsQuietly(table)))));
        }

        @Override
        public void notice(String message) {
            if (steps != null) {
                notices.add(names.real(message));
            }
        }

        private long rows(String table) throws SQLException {
            OptionalLong estimate = realCatalog.rowEstimate(table);
            return estimate.isPresent() ? estimate.getAsLong() : -1;
        }

        private long rowsQuietly(String table) {
            try {
                return rows(table);
            } catch (SQLException e) {
                return -1;
            }
        }

        /** {@code AccessExclusiveLock} as the documentation names it: {@code ACCESS EXCLUSIVE}. */
        private static String modeName(String mode) {
            return mode.replaceFirst("Lock$", "")
                    .replaceAll("([a-z])([A-Z])", "$1 $2")
                    .toUpperCase(Locale.ROOT);
        }
    }
}
