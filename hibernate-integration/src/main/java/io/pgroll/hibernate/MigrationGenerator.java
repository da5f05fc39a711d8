package io.pgroll.hibernate;

import io.pgroll.engine.model.AddColumn;
import io.pgroll.engine.model.AlterColumn;
import io.pgroll.engine.model.CreateTable;
import io.pgroll.engine.model.DropColumn;
import io.pgroll.engine.model.Migration;
import io.pgroll.engine.model.MigrationWriter;
import io.pgroll.engine.model.Operation;
import io.pgroll.engine.model.RawSql;
import io.pgroll.jdbc.PgrollConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.model.relational.Namespace;
import org.hibernate.boot.model.relational.Sequence;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.Table;

/**
 * The pgroll migration that takes the version a pinned connection sees to an entity model: {@code
 * create_table} for an entity whose table the version lacks, {@code add_column} and {@code drop_column}
 * for columns one side lacks, {@code alter_column} for a type or a nullability that differs, a {@code
 * sql} operation for a sequence the model needs. Where a row's value cannot be inferred (a new NOT NULL
 * column's value for the old version's rows, an old NOT NULL column's value for the new version's), the
 * expression is pgroll's placeholder {@value #PLACEHOLDER}, to be replaced before the migration starts; a
 * type change gets casts both ways, to be checked. What the model cannot tell, the result's notes say: a
 * dropped and an added column of one type may be a renamed property (a {@code rename_column} keeps the
 * values, a drop and an add do not); a table of the version that no entity maps is left alone. Unique
 * constraints, defaults and foreign keys of existing columns are not compared.
 *
 * <p>Requires {@code pgroll-engine} on the class path (an optional dependency of this module).
 */
public final class MigrationGenerator {
    /** What pgroll writes for an expression the user must fill in. */
    public static final String PLACEHOLDER = "TODO: Implement SQL data migration";

    /**
     * The comparison's outcome.
     *
     * @param version the version schema compared with
     * @param operations the migration's operations, none when the version already matches the model
     * @param notes what a person must decide before starting it, one sentence each
     */
    public record Generated(String version, List<Operation> operations, List<String> notes) {
        public Generated {
            operations = List.copyOf(operations);
            notes = List.copyOf(notes);
        }

        /** The migration named {@code name} (its file name without extension). */
        public Migration migration(String name) {
            return new Migration(name, null, operations);
        }

        /** The migration file in YAML, its notes as comments above the operations. */
        public String yaml() {
            StringBuilder file = new StringBuilder("# From the entity model, against version ")
                    .append(version)
                    .append(". Replace every \"")
                    .append(PLACEHOLDER)
                    .append("\" before starting it.\n");
            notes.forEach(note -> file.append("# ").append(note).append('\n'));
            return file.append(MigrationWriter.yaml(migration("generated"))).toString();
        }
    }

    private MigrationGenerator() {}

    /** The migration's YAML: {@code compare(metadata, pinned).yaml()}. */
    public static String generate(Metadata metadata, Connection pinned) throws SQLException {
        return compare(metadata, pinned).yaml();
    }

    /**
     * Compares the model with the version {@code pinned} is pinned to.
     *
     * @param pinned a connection of the {@code jdbc:pgroll:} driver, pinned to the version the migration starts from
     */
    public static Generated compare(Metadata metadata, Connection pinned) throws SQLException {
        if (!pinned.isWrapperFor(PgrollConnection.class)) {
            throw new SQLException("the connection to compare with must be pinned by the jdbc:pgroll: driver to the "
                    + "version the migration starts from");
        }
        PgrollConnection pin = pinned.unwrap(PgrollConnection.class);
        Comparison comparison = new Comparison(metadata, pinned, VersionTables.read(pinned, pin));
        comparison.sequences(VersionTables.sequences(pinned, pin.migratedSchema()));
        Set<String> mapped = new HashSet<>();
        for (Table table : metadata.collectTableMappings()) {
            if (table.isPhysicalTable()) {
                mapped.add(comparison.table(table));
            }
        }
        comparison.unmapped(mapped);
        return new Generated(pin.versionSchema(), comparison.operations, comparison.notes);
    }

    /** A column of the version: its type as the server writes it, and whether it takes NULL. */
    private record VersionColumn(String name, String type, Boolean nullable) {}

    /** What the version's views and the migrated schema's sequences hold. */
    private static final class VersionTables {
        private VersionTables() {}

        /**
         * The version's tables (its views) and their columns, by name. A view does not carry its columns'
         * NOT NULL, so nullability is that of the migrated table's column the view shows (NOT NULL, or a
         * check that it is not null, as a migration in progress makes it): the column of the same name, or its copy {@code _pgroll_new_<name>} where a migration in progress changes it and the
         * view is its new version's. Null when unknown: a table or column a migration in progress renames.
         */
        static Map<String, Map<String, VersionColumn>> read(Connection pinned, PgrollConnection pin)
                throws SQLException {
            Map<String, Map<String, VersionColumn>> tables = new LinkedHashMap<>();
            try (PreparedStatement ps = pinned.prepareStatement(
                    """
                    SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                           (SELECT NOT (m.attnotnull OR EXISTS (
                                    SELECT FROM pg_constraint k
                                     WHERE k.conrelid = m.attrelid AND k.contype = 'c'
                                       AND pg_get_expr(k.conbin, k.conrelid) = format('(%I IS NOT NULL)', m.attname)))
                              FROM pg_attribute m
                             WHERE m.attrelid = to_regclass(format('%I.%I', ?, c.relname)) AND NOT m.attisdropped
                               AND m.attname IN (a.attname, '_pgroll_new_' || a.attname)
                               AND (c.relkind <> 'v' OR EXISTS (
                                    SELECT FROM pg_rewrite r
                                      JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                                     WHERE r.ev_class = c.oid AND d.refobjid = m.attrelid
                                       AND d.refobjsubid = m.attnum))
                             ORDER BY m.attname = a.attname
                             LIMIT 1)
                      FROM pg_attribute a
                      JOIN pg_class c ON c.oid = a.attrelid
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0
                       AND NOT a.attisdropped
                     ORDER BY c.relname, a.attnum""")) {
                ps.setString(1, pin.migratedSchema());
                ps.setString(2, pin.versionSchema());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        boolean nullable = rs.getBoolean(4);
                        Boolean known = rs.wasNull() ? null : nullable;
                        tables.computeIfAbsent(rs.getString(1), t -> new LinkedHashMap<>())
                                .put(rs.getString(2), new VersionColumn(rs.getString(2), rs.getString(3), known));
                    }
                }
            }
            return tables;
        }

        /** The sequences of the migrated schema, which the version's views do not show. */
        static Set<String> sequences(Connection pinned, String migratedSchema) throws SQLException {
            Set<String> names = new HashSet<>();
            try (PreparedStatement ps = pinned.prepareStatement(
                    "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = ?")) {
                ps.setString(1, migratedSchema);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            return names;
        }
    }

    /** The operations and notes found so far, in the model's order. */
    private static final class Comparison {
        private final Metadata metadata;
        private final Connection pinned;
        private final Map<String, Map<String, VersionColumn>> version;
        private final List<Operation> operations = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        Comparison(Metadata metadata, Connection pinned, Map<String, Map<String, VersionColumn>> version) {
            this.metadata = metadata;
            this.pinned = pinned;
            this.version = version;
        }

        void sequences(Set<String> existing) {
            for (Namespace namespace : metadata.getDatabase().getNamespaces()) {
                for (Sequence sequence : namespace.getSequences()) {
                    var name = sequence.getName().getSequenceName();
                    String folded = Identifiers.folded(name.getText(), name.isQuoted());
                    if (!existing.contains(folded)) {
                        String quoted = Identifiers.quoted(folded);
                        operations.add(new RawSql(
                                "CREATE SEQUENCE " + quoted + " START WITH " + sequence.getInitialValue()
                                        + " INCREMENT BY " + sequence.getIncrementSize(),
                                "DROP SEQUENCE " + quoted,
                                false));
                    }
                }
            }
        }

        /** Compares one mapped table; returns its name as PostgreSQL stores it. */
        String table(Table table) throws SQLException {
            String tableName = Identifiers.folded(table.getName(), table.isQuoted());
            Map<String, VersionColumn> existing = version.get(tableName);
            if (existing == null) {
                operations.add(createTable(table, tableName));
                return tableName;
            }
            List<Column> columns = List.copyOf(table.getColumns());
            List<String> modelTypes =
                    columns.stream().map(c -> c.getSqlType(metadata)).toList();
            List<String> versionTypes = columns.stream()
                    .map(c -> existing.get(name(c)))
                    .map(c -> c == null ? null : c.type())
                    .toList();
            List<TypeSignature> modelSignatures = TypeSignature.of(pinned, tableName, modelTypes);
            List<TypeSignature> versionSignatures = TypeSignature.of(pinned, tableName, versionTypes);
            Map<String, TypeSignature> added = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                Column column = columns.get(i);
                String name = name(column);
                VersionColumn current = existing.get(name);
                if (current == null) {
                    operations.add(addColumn(tableName, name, column, modelTypes.get(i)));
                    added.put(name, modelSignatures.get(i));
                    continue;
                }
                boolean retyped = !modelSignatures.get(i).equals(versionSignatures.get(i));
                boolean renullabled = current.nullable() != null && current.nullable() != column.isNullable();
                if (retyped || renullabled) {
                    operations.add(alterColumn(tableName, current, column, retyped ? modelTypes.get(i) : null));
                }
                if (retyped) {
                    notes.add("%s.%s changes type from %s to %s: check the casts of its up and down"
                            .formatted(tableName, name, current.type(), modelTypes.get(i)));
                }
            }
            Set<String> mapped = columns.stream().map(Comparison::name).collect(Collectors.toSet());
            List<VersionColumn> dropped = existing.values().stream()
                    .filter(c -> !mapped.contains(c.name()))
                    .toList();
            List<TypeSignature> droppedSignatures = TypeSignature.of(
                    pinned, tableName, dropped.stream().map(VersionColumn::type).toList());
            for (int i = 0; i < dropped.size(); i++) {
                VersionColumn column = dropped.get(i);
                // the old version still writes the column and needs a value for the new version's rows
                operations.add(new DropColumn(
                        tableName, column.name(), Boolean.TRUE.equals(column.nullable()) ? null : PLACEHOLDER));
                TypeSignature type = droppedSignatures.get(i);
                List<String> sameType = added.entrySet().stream()
                        .filter(a -> a.getValue().equals(type))
                        .map(Map.Entry::getKey)
                        .toList();
                if (!sameType.isEmpty()) {
                    notes.add(("%s.%s is dropped and %s of the same type added: if a property was renamed, write "
                                    + "one rename_column instead of its drop_column and add_column, which keeps "
                                    + "the values")
                            .formatted(tableName, column.name(), String.join(" or ", sameType)));
                }
            }
            return tableName;
        }

        /** A note for each table of the version no entity maps: the model cannot tell whether it is gone. */
        void unmapped(Set<String> mapped) {
            version.keySet().stream()
                    .filter(t -> !mapped.contains(t))
                    .forEach(t -> notes.add(("table %s of the version is mapped by no entity and left alone: add a "
                                    + "drop_table if the application no longer uses it")
                            .formatted(t)));
        }

        private static String name(Column column) {
            return Identifiers.folded(column.getName(), column.isQuoted());
        }

        private CreateTable createTable(Table table, String tableName) {
            Set<String> primaryKey = new HashSet<>();
            if (table.getPrimaryKey() != null) {
                table.getPrimaryKey().getColumns().forEach(c -> primaryKey.add(name(c)));
            }
            List<io.pgroll.engine.model.Column> columns = new ArrayList<>();
            for (Column column : table.getColumns()) {
                String name = name(column);
                boolean pk = primaryKey.contains(name);
                columns.add(new io.pgroll.engine.model.Column(
                        name,
                        column.getSqlType(metadata),
                        pk,
                        !pk && column.isNullable(),
                        column.isUnique(),
                        column.getDefaultValue(),
                        null,
                        null,
                        null,
                        null));
            }
            return new CreateTable(tableName, columns, null, List.of());
        }

        private static AddColumn addColumn(String table, String name, Column column, String type) {
            // the old version's rows and writes need a value for a NOT NULL column without a default
            String up = !column.isNullable() && column.getDefaultValue() == null ? PLACEHOLDER : null;
            return new AddColumn(
                    table,
                    new io.pgroll.engine.model.Column(
                            name,
                            type,
                            false,
                            column.isNullable(),
                            false,
                            column.getDefaultValue(),
                            null,
                            null,
                            null,
                            null),
                    up);
        }

        /**
         * An {@code alter_column} to the model's type (null: unchanged) and nullability. Each direction
         * casts the other version's value, except where the column becomes NOT NULL on that side: a NULL
         * written by the other version then needs a value no one but the user can choose.
         */
        // the operation's default and comment are tri-state: null leaves them as they are
        @SuppressWarnings("NullOptional")
        private static AlterColumn alterColumn(String table, VersionColumn current, Column column, String type) {
            String quoted = Identifiers.quoted(current.name());
            boolean renullabled = current.nullable() != null && current.nullable() != column.isNullable();
            String up = type == null ? quoted : "CAST(" + quoted + " AS " + type + ")";
            String down = type == null ? quoted : "CAST(" + quoted + " AS " + current.type() + ")";
            if (renullabled && !column.isNullable()) {
                up = PLACEHOLDER;
            } else if (renullabled) {
                down = PLACEHOLDER;
            }
            return new AlterColumn(
                    table,
                    current.name(),
                    type,
                    renullabled ? column.isNullable() : null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    up,
                    down);
        }
    }

    /**
     * A type as the server resolves it, so that {@code varchar(255)} and {@code character varying(255)},
     * or {@code float(53)} and {@code double precision}, are one type: the type name, precision and scale
     * pgJDBC reports for {@code CAST(NULL AS type)}.
     */
    private record TypeSignature(String name, int precision, int scale) {
        /** The signature of each type (null for null), in one round trip. */
        static List<TypeSignature> of(Connection connection, String table, List<String> types) throws SQLException {
            List<String> present = types.stream().filter(Objects::nonNull).toList();
            List<TypeSignature> resolved = new ArrayList<>();
            if (!present.isEmpty()) {
                // the types are the model's own SQL and the server's format_type, written as type names, not values
                String query = present.stream()
                        .map(t -> "CAST(NULL AS " + t + ")")
                        .collect(Collectors.joining(", ", "SELECT ", ""));
                try (Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery(query)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    for (int i = 1; i <= present.size(); i++) {
                        resolved.add(
                                new TypeSignature(meta.getColumnTypeName(i), meta.getPrecision(i), meta.getScale(i)));
                    }
                } catch (SQLException e) {
                    throw new SQLException(
                            "cannot resolve the column types of table " + table + " (" + String.join(", ", present)
                                    + ") on the server: " + e.getMessage(),
                            e.getSQLState(),
                            e);
                }
            }
            List<TypeSignature> signatures = new ArrayList<>();
            int next = 0;
            for (String type : types) {
                signatures.add(type == null ? null : resolved.get(next++));
            }
            return signatures;
        }
    }
}
