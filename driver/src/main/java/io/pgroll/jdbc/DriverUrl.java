package io.pgroll.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A {@code jdbc:pgroll:} URL taken apart: the pgJDBC URL it stands for, with our properties removed
 * from its query string, our properties, and pgJDBC's (decoded, only to be looked at). What stays is passed on byte for byte, so every pgJDBC
 * parameter (SSL, timeouts, {@code ApplicationName}, several hosts) means what it meant.
 */
record DriverUrl(String postgresUrl, Properties pgrollProperties, Properties postgresParameters) {
    static final String PREFIX = "jdbc:pgroll:";
    static final String POSTGRES_PREFIX = "jdbc:postgresql:";

    static boolean isPgroll(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    /** Accepts {@code jdbc:pgroll:postgresql:...} and, for the data source and the agent, {@code jdbc:postgresql:...}. */
    static DriverUrl parse(String url) {
        String postgres = isPgroll(url) ? "jdbc:" + url.substring(PREFIX.length()) : url;
        int query = postgres.indexOf('?');
        Properties ours = new Properties();
        Properties theirs = new Properties();
        if (query < 0) {
            return new DriverUrl(postgres, ours, theirs);
        }
        List<String> kept = new ArrayList<>();
        for (String parameter : postgres.substring(query + 1).split("&")) {
            int eq = parameter.indexOf('=');
            String key = decode(eq < 0 ? parameter : parameter.substring(0, eq));
            if (PgrollProperty.isOurs(key)) {
                ours.setProperty(key, eq < 0 ? "" : decode(parameter.substring(eq + 1)));
            } else if (!parameter.isEmpty()) {
                kept.add(parameter);
                theirs.setProperty(key, eq < 0 ? "" : decode(parameter.substring(eq + 1)));
            }
        }
        String base = postgres.substring(0, query);
        return new DriverUrl(kept.isEmpty() ? base : base + "?" + String.join("&", kept), ours, theirs);
    }

    /**
     * The properties pgJDBC gets and those we read: {@code info}'s (with its defaults) and then the URL's,
     * which win as they do in pgJDBC.
     */
    Properties merge(Properties info) {
        Properties merged = new Properties();
        if (info != null) {
            for (String key : info.stringPropertyNames()) {
                merged.setProperty(key, info.getProperty(key));
            }
        }
        merged.putAll(pgrollProperties);
        return merged;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
