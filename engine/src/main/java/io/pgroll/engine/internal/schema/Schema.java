package io.pgroll.engine.internal.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The tables of one PostgreSQL schema, as {@code read_schema} reports them, ordered by name. */
public record Schema(String name, Map<String, Table> tables) {
    public Schema {
        Objects.requireNonNull(name, "name");
        tables = tables == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    public Optional<Table> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }
}
