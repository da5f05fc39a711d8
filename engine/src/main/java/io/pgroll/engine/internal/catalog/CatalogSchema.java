package io.pgroll.engine.internal.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The tables of one PostgreSQL schema, as {@code read_schema} reports them, ordered by name. */
public record CatalogSchema(String name, Map<String, CatalogTable> tables) {
    public CatalogSchema {
        Objects.requireNonNull(name, "name");
        tables = tables == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    public Optional<CatalogTable> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }
}
