package io.pgroll.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DDL statements the server runs, as the client sent them, recorded by an event trigger: what a
 * plan is checked against.
 */
public final class DdlCapture {
    private DdlCapture() {}

    /**
     * The plan's DDL statements that name the harness's schema, as the event trigger records them, with
     * each table's OID in a temporary name written {@code <oid of NAME>}, as the plan writes it for a
     * table that does not exist before the migration.
     */
    public static List<String> of(List<Plan.Step> steps, MigrationHarness h) {
        return normalized(
                h,
                steps.stream()
                        .filter(s -> s.kind() != Plan.Kind.BACKFILL)
                        .map(Plan.Step::sql)
                        .filter(sql -> isDdl(sql) && sql.contains(h.schema()))
                        .toList());
    }

    private static List<String> normalized(MigrationHarness h, List<String> statements) {
        return normalized(tables(h), statements);
    }

    private static Map<String, String> tables(MigrationHarness h) {
        Map<String, String> tables = new HashMap<>();
        for (List<String> row : h.db().query("SELECT oid::text, relname FROM pg_class WHERE relkind IN ('r', 'p')"
                + " AND relnamespace = '\"" + h.schema() + "\"'::regnamespace")) {
            tables.put(row.get(0), row.get(1));
        }
        return tables;
    }

    private static List<String> normalized(Map<String, String> tables, List<String> statements) {
        Pattern number = Pattern.compile("(?<=_)(\\d+)(?=[_\"])");
        return statements.stream()
                .map(sql -> number.matcher(sql)
                        .replaceAll(m -> Matcher.quoteReplacement(
                                tables.containsKey(m.group(1))
                                        ? "<oid of " + tables.get(m.group(1)) + ">"
                                        : m.group(1))))
                .toList();
    }

    /** The DDL statements naming the harness's schema that the server ran while {@code work} ran. */
    public static List<String> during(MigrationHarness h, Runnable work) {
        String log = h.schema() + "_ddl_log";
        h.db().execute("CREATE SCHEMA " + log);
        h.db().execute("CREATE TABLE " + log + ".statements (n bigserial, sql text)");
        h.db().execute("CREATE FUNCTION " + log + ".capture() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " INSERT INTO " + log + ".statements (sql) VALUES (current_query()); END $$");
        h.db().execute("CREATE EVENT TRIGGER " + log + " ON ddl_command_end EXECUTE FUNCTION " + log + ".capture()");
        try {
            // a table the work drops is named by its OID in what ran before
            Map<String, String> tables = tables(h);
            work.run();
            tables.putAll(tables(h));
            return normalized(
                    tables,
                    h.db().query("SELECT sql FROM " + log + ".statements ORDER BY n").stream()
                            .map(r -> r.get(0))
                            .filter(sql -> isDdl(sql) && sql.contains(h.schema()) && !sql.contains(log))
                            .toList());
        } finally {
            h.db().execute("DROP EVENT TRIGGER " + log);
            h.db().execute("DROP SCHEMA " + log + " CASCADE");
        }
    }

    private static boolean isDdl(String sql) {
        String first = sql.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        return List.of("CREATE", "ALTER", "DROP", "COMMENT", "GRANT", "REVOKE").contains(first);
    }
}
