package io.pgroll.spring;

/**
 * The migrator's URL from the application's: pgJDBC's, without what only our driver reads. The
 * migrator works on the physical schema, so it never connects pinned.
 */
final class MigratorUrl {
    private MigratorUrl() {}

    static String of(String url) {
        String postgres = url.startsWith("jdbc:pgroll:") ? "jdbc:" + url.substring("jdbc:pgroll:".length()) : url;
        int query = postgres.indexOf('?');
        if (query < 0) {
            return postgres;
        }
        StringBuilder kept = new StringBuilder();
        for (String parameter : postgres.substring(query + 1).split("&", -1)) {
            if (!parameter.isEmpty() && !parameter.startsWith("pgroll")) {
                kept.append(kept.length() == 0 ? "?" : "&").append(parameter);
            }
        }
        return postgres.substring(0, query) + kept;
    }
}
