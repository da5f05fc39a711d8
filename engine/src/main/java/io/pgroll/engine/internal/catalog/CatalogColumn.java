package io.pgroll.engine.internal.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A column of a table, as {@code read_schema} reports it.
 *
 * @param name the column's name, exactly as in the catalog
 * @param type the type as {@code format_type} renders it, seen from the table's own schema
 * @param defaultValue the default expression, or null (generated columns have none)
 * @param nullable false when the column or its domain is NOT NULL
 * @param unique whether a valid, non-partial unique index (or unique constraint) covers exactly this column
 * @param comment the column's comment, or null
 * @param enumValues the labels of the column's enum type in order, or null when it is not an enum
 * @param postgresType the kind of type: base, enum, domain, composite, range, multirange or pseudo
 * @param position the attribute number: gives the order of the columns, not their count
 * @param identity {@code a} (ALWAYS), {@code d} (BY DEFAULT) or null
 * @param generated {@code s} (stored), {@code v} (virtual, PostgreSQL 18) or null
 * @param generationExpression the expression of a generated column, or null
 */
public record CatalogColumn(
        String name,
        String type,
        String defaultValue,
        boolean nullable,
        boolean unique,
        String comment,
        List<String> enumValues,
        String postgresType,
        int position,
        String identity,
        String generated,
        String generationExpression) {
    public CatalogColumn {
        Objects.requireNonNull(name, "name");
        enumValues = enumValues == null ? null : List.copyOf(enumValues);
    }

    public boolean isIdentity() {
        return identity != null;
    }

    public boolean isGenerated() {
        return generated != null;
    }
}
