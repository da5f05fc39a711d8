package io.pgroll.agent;

import io.pgroll.jdbc.PgrollDriver;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;

/**
 * Between pgJDBC's rewritten {@code connect} and the pinning driver. Public only because the advice,
 * inlined into pgJDBC, calls it; not an API.
 */
public final class AgentBridge {
    /** Set while the pinning driver opens its physical connection, which goes through the same connect. */
    private static final ThreadLocal<Boolean> INSIDE = new ThreadLocal<>();

    /** One pinning driver (and so one resolution cache) per pgJDBC driver instance, held weakly. */
    private static final Map<Driver, Driver> PINNING = Collections.synchronizedMap(new WeakHashMap<>());

    private static volatile Properties defaults;

    private AgentBridge() {}

    static void install(Properties agentDefaults) {
        defaults = agentDefaults;
    }

    /**
     * A pinned connection, or null to let pgJDBC connect as usual: when the agent has no version and the
     * request names none, for URLs that are not pgJDBC's, and for the pinning driver's own connections.
     */
    public static Connection connect(Driver postgres, String url, Properties info) throws SQLException {
        Properties agentDefaults = defaults;
        if (agentDefaults == null || INSIDE.get() != null || url == null || !url.startsWith("jdbc:postgresql:")) {
            return null;
        }
        INSIDE.set(Boolean.TRUE);
        try {
            Driver pinning = PINNING.computeIfAbsent(postgres, d -> PgrollDriver.pinning(d, agentDefaults));
            return pinning.connect(url, info);
        } finally {
            INSIDE.remove();
        }
    }
}
