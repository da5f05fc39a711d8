package io.pgroll.hibernate;

import io.pgroll.jdbc.PgrollConnection;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.model.relational.Namespace;
import org.hibernate.boot.model.relational.Sequence;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.Table;

/**
 * Writes the pgroll migration (YAML) that takes the version a pinned connection sees to an entity
 * model: {@code create_table} for an entity whose table the version lacks, {@code add_column} and
 * {@code drop_column} for columns one side lacks, {@code alter_column} for a nullability that differs,
 * a {@code sql} operation for a sequence the model needs. Where a row's value cannot be inferred (a
 * new NOT NULL column's value for the old version's rows, an old NOT NULL column's value for the new
 * version's), the expression is pgroll's placeholder {@value #PLACEHOLDER}, to be replaced before the
 * migration starts. A renamed property shows as a drop and an add: write it as a {@code rename_column}.
 * Column types are taken from the model as Hibernate writes them; type changes are not detected.
 */
public final class MigrationGenerator {
    /** What pgroll writes for an expression the user must fill in. */
    public static final String PLACEHOLDER = "TODO: Implement SQL data migration";

    private MigrationGenerator() {}

    /**
     * A column of the version. A view does not carry its columns' NOT NULL, so {@code nullable} is the
     * migrated table's column of the same name, where there is one (null when unknown: a column renamed
     * by a migration still in progress).
     */
    private record VersionColumn(String name, Boolean nullable) {}

    /**
     * The migration's YAML, with no operation when the version already matches the model.
     *
     * @param pinned a connection of the {@code jdbc:pgroll:} driver, pinned to the version to compare with
     */
    public static String generate(Metadata metadata, Connection pinned) throws SQLException {
        if (!pinned.isWrapperFor(PgrollConnection.class)) {
            throw new SQLException("the connection to compare with must be pinned by the jdbc:pgroll: driver to the "
                    + "version the migration starts from");
        }
        PgrollConnection pin = pinned.unwrap(PgrollConnection.class);
        Map<String, Map<String, VersionColumn>> version =
                columns(pinned.getMetaData(), pin.versionSchema(), nullability(pinned, pin.migratedSchema()));
        Set<String> sequences = sequences(pinned, pin.migratedSchema());
        StringBuilder yaml = new StringBuilder();
        for (Namespace namespace : metadata.getDatabase().getNamespaces()) {
            for (Sequence sequence : namespace.getSequences()) {
                String name = sequence.getName().getSequenceName().getText();
                if (!sequences.contains(
                        folded(name, sequence.getName().getSequenceName().isQuoted()))) {
                    String qualified = quotedIfNeeded(name);
                    yaml.append("  - sql:\n      up: ")
                            .append(scalar("CREATE SEQUENCE " + qualified + " START WITH " + sequence.getInitialValue()
                                    + " INCREMENT BY " + sequence.getIncrementSize()))
                            .append("\n      down: ")
                            .append(scalar("DROP SEQUENCE " + qualified))
                            .append('\n');
                }
            }
        }
        for (Table table : metadata.collectTableMappings()) {
            if (!table.isPhysicalTable()) {
                continue;
            }
            String tableName = folded(table.getName(), table.isQuoted());
            Map<String, VersionColumn> existing = version.get(tableName);
            if (existing == null) {
                createTable(yaml, metadata, table, tableName);
                continue;
            }
            Set<String> mapped = new HashSet<>();
            for (Column column : table.getColumns()) {
                String name = folded(column.getName(), column.isQuoted());
                mapped.add(name);
                VersionColumn current = existing.get(name);
                if (current == null) {
                    addColumn(yaml, metadata, tableName, name, column);
                } else if (current.nullable() != null && current.nullable() != column.isNullable()) {
                    alterNullability(yaml, tableName, name, column.isNullable());
                }
            }
            for (VersionColumn column : existing.values()) {
                if (!mapped.contains(column.name())) {
                    yaml.append("  - drop_column:\n      table: ")
                            .append(scalar(tableName))
                            .append("\n      column: ")
                            .append(scalar(column.name()))
                            .append('\n');
                    if (!Boolean.TRUE.equals(column.nullable())) {
                        // the old version still writes the column and needs a value from the new version's rows
                        yaml.append("      down: ").append(scalar(PLACEHOLDER)).append('\n');
                    }
                }
            }
        }
        return "# From the entity model, against version " + pin.versionSchema() + ". Replace every \""
                + PLACEHOLDER + "\" before starting it.\n"
                + (yaml.isEmpty() ? "operations: []\n" : "operations:\n" + yaml);
    }

    private static void createTable(StringBuilder yaml, Metadata metadata, Table table, String tableName) {
        Set<String> primaryKey = new HashSet<>();
        if (table.getPrimaryKey() != null) {
            table.getPrimaryKey().getColumns().forEach(c -> primaryKey.add(folded(c.getName(), c.isQuoted())));
        }
        yaml.append("  - create_table:\n      name: ").append(scalar(tableName)).append("\n      columns:\n");
        for (Column column : table.getColumns()) {
            String name = folded(column.getName(), column.isQuoted());
            yaml.append("        - name: ").append(scalar(name)).append('\n');
            yaml.append("          type: ")
                    .append(scalar(column.getSqlType(metadata)))
                    .append('\n');
            if (primaryKey.contains(name)) {
                yaml.append("          pk: true\n");
            } else if (column.isNullable()) {
                yaml.append("          nullable: true\n");
            }
            if (column.isUnique()) {
                yaml.append("          unique: true\n");
            }
        }
    }

    private static void addColumn(StringBuilder yaml, Metadata metadata, String table, String name, Column column) {
        yaml.append("  - add_column:\n      table: ").append(scalar(table)).append('\n');
        if (!column.isNullable() && column.getDefaultValue() == null) {
            // the old version's rows and writes need a value for it
            yaml.append("      up: ").append(scalar(PLACEHOLDER)).append('\n');
        }
        yaml.append("      column:\n        name: ").append(scalar(name)).append('\n');
        yaml.append("        type: ")
                .append(scalar(column.getSqlType(metadata)))
                .append('\n');
        yaml.append("        nullable: ").append(column.isNullable()).append('\n');
        if (column.getDefaultValue() != null) {
            yaml.append("        default: ")
                    .append(scalar(column.getDefaultValue()))
                    .append('\n');
        }
    }

    private static void alterNullability(StringBuilder yaml, String table, String name, boolean nullable) {
        yaml.append("  - alter_column:\n      table: ")
                .append(scalar(table))
                .append("\n      column: ")
                .append(scalar(name))
                .append("\n      nullable: ")
                .append(nullable)
                .append('\n');
        // NOT NULL needs a value for the old version's NULLs; dropping it needs one for the old version's reads
        yaml.append("      up: ")
                .append(scalar(nullable ? quotedIfNeeded(name) : PLACEHOLDER))
                .append('\n');
        yaml.append("      down: ")
                .append(scalar(nullable ? PLACEHOLDER : quotedIfNeeded(name)))
                .append('\n');
    }

    /** The version's tables (its views) and their columns, by folded name. */
    private static Map<String, Map<String, VersionColumn>> columns(
            DatabaseMetaData metaData, String versionSchema, Map<String, Map<String, Boolean>> nullability)
            throws SQLException {
        Map<String, Map<String, VersionColumn>> tables = new LinkedHashMap<>();
        try (ResultSet rs = metaData.getColumns(null, versionSchema, "%", "%")) {
            while (rs.next()) {
                String table = rs.getString("TABLE_NAME");
                String column = rs.getString("COLUMN_NAME");
                Boolean nullable = nullability.getOrDefault(table, Map.of()).get(column);
                tables.computeIfAbsent(table, t -> new LinkedHashMap<>())
                        .put(column, new VersionColumn(column, nullable));
            }
        }
        return tables;
    }

    /** Whether each column of the migrated schema's tables is nullable, by table and column. */
    private static Map<String, Map<String, Boolean>> nullability(Connection pinned, String migratedSchema)
            throws SQLException {
        Map<String, Map<String, Boolean>> tables = new LinkedHashMap<>();
        try (PreparedStatement ps = pinned.prepareStatement("SELECT table_name, column_name, is_nullable FROM "
                + "information_schema.columns WHERE table_schema = ?")) {
            ps.setString(1, migratedSchema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.computeIfAbsent(rs.getString(1), t -> new LinkedHashMap<>())
                            .put(rs.getString(2), "YES".equals(rs.getString(3)));
                }
            }
        }
        return tables;
    }

    /** The sequences of the migrated schema, which the version's views do not show. */
    private static Set<String> sequences(Connection pinned, String migratedSchema) throws SQLException {
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

    /** PostgreSQL folds an unquoted name to lower case. */
    private static String folded(String name, boolean quoted) {
        return quoted ? name : name.toLowerCase(Locale.ROOT);
    }

    private static String quotedIfNeeded(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A YAML double-quoted scalar, which is also a JSON string. */
    private static String scalar(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
