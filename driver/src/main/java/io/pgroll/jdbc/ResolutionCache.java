package io.pgroll.jdbc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What a version request resolved to, kept for a short while so that a pool filling up asks the state
 * store once, not once per connection. Short, because {@code latest} must follow a new migration soon
 * after it starts; a stale answer is safe anyway, since every new connection is validated.
 */
final class ResolutionCache {
    private record Entry(String versionSchema, long expiresAt) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier clock;

    ResolutionCache(Duration ttl) {
        this(ttl, System::nanoTime);
    }

    ResolutionCache(Duration ttl, LongSupplier clock) {
        this.ttlNanos = ttl.toNanos();
        this.clock = clock;
    }

    /** The cached version schema, or null when absent or expired. */
    String get(String key) {
        Entry entry = entries.get(key);
        return entry == null || clock.getAsLong() - entry.expiresAt() > 0 ? null : entry.versionSchema();
    }

    void put(String key, String versionSchema) {
        long now = clock.getAsLong();
        if (entries.size() > 64) {
            entries.values().removeIf(e -> now - e.expiresAt() > 0);
        }
        entries.put(key, new Entry(versionSchema, now + ttlNanos));
    }

    void invalidate(String key) {
        entries.remove(key);
    }
}
