package io.pgroll.engine.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Immutable copies of the column-to-SQL maps, keeping the order they were written in. */
final class Maps {
    private Maps() {}

    static Map<String, String> copyOf(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
