package io.pgroll.jdbc;

import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The connection properties of the {@code jdbc:pgroll:} driver, given in the URL's query string or in
 * the {@link Properties} passed to {@code connect} (the URL wins, as with pgJDBC). Every other
 * property goes to pgJDBC untouched. Names are case-sensitive; a property that starts with {@code
 * pgroll} but is not one of these is refused, so a misspelled version never goes unnoticed.
 */
public enum PgrollProperty {
    /** The version to pin to. Absent: the connection is not pinned, as with plain pgJDBC. */
    VERSION(
            "pgrollVersion",
            null,
            "The schema version the connection is pinned to: a migration name (02_add_rating), a version schema"
                    + " name (public_02_add_rating), latest (the newest version, cached for a few seconds), or"
                    + " classpath:<dir> (the newest migration file the application ships in that classpath directory)."
                    + " Absent: no pinning."),
    /** The schema whose versions are pinned. */
    SCHEMA("pgrollSchema", "public", "The schema that was migrated; its version schemas are named <schema>_<version>."),
    /** The schema that holds the migration history. */
    STATE_SCHEMA("pgrollStateSchema", "pgroll", "The schema that holds the migration history (pgroll's state)."),
    /** How the pin is set. */
    PIN_MODE(
            "pgrollPinMode",
            "startup",
            "How the search_path is pinned: startup sends it in the startup packet (no extra round trip); statement"
                    + " runs SET search_path right after connecting, for proxies that drop startup parameters.",
            "startup",
            "statement"),
    /** Whether each new physical connection checks its version once. */
    VALIDATE(
            "pgrollValidate",
            "true",
            "Whether each new physical connection checks, with one query, that its version schema exists and is not"
                    + " being torn down. false saves that round trip.",
            "true",
            "false");

    /** The prefix of every property of ours; one with it that is not ours is a mistake. */
    static final String PREFIX = "pgroll";

    private final String name;
    private final String defaultValue;
    private final String description;
    private final List<String> choices;

    PgrollProperty(String name, String defaultValue, String description, String... choices) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.description = description;
        this.choices = List.of(choices);
    }

    /** The property's name, as written in a URL or a {@link Properties}. */
    public String getName() {
        return name;
    }

    /** The value used when the property is absent; null when absence has a meaning of its own. */
    public String getDefaultValue() {
        return defaultValue;
    }

    public String getDescription() {
        return description;
    }

    /** The accepted values, or an empty list when any value is accepted. */
    public List<String> getChoices() {
        return choices;
    }

    /** The property's value in {@code properties}, or its default. */
    public String get(Properties properties) {
        return properties.getProperty(name, defaultValue);
    }

    /** The value, refused when it is empty or, for properties with choices, not one of them. */
    String getChecked(Properties properties) throws SQLException {
        String value = get(properties);
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw invalid(
                    name + " must not be empty" + (defaultValue == null ? "" : "; its default is " + defaultValue));
        }
        if (choices.isEmpty()) {
            return value;
        }
        // case-insensitive, as pgJDBC reads its own booleans
        return choices.stream()
                .filter(choice -> choice.equalsIgnoreCase(value.trim()))
                .findFirst()
                .orElseThrow(
                        () -> invalid(name + " must be one of " + String.join(", ", choices) + " but was: " + value));
    }

    boolean getBoolean(Properties properties) throws SQLException {
        return Boolean.parseBoolean(getChecked(properties));
    }

    DriverPropertyInfo toDriverPropertyInfo(Properties properties) {
        DriverPropertyInfo info = new DriverPropertyInfo(name, get(properties));
        info.description = description;
        info.required = false;
        info.choices = choices.isEmpty() ? null : choices.toArray(String[]::new);
        return info;
    }

    /** Whether {@code key} is in our namespace (and so must be one of ours). */
    static boolean isOurs(String key) {
        return key.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    /** Refuses a property in our namespace that is not one of ours: most likely a misspelling. */
    static void checkKnown(Properties properties) throws SQLException {
        for (String key : properties.stringPropertyNames()) {
            if (isOurs(key) && Arrays.stream(values()).noneMatch(p -> p.name.equals(key))) {
                throw invalid("unknown property " + key + "; the pgroll driver's properties are "
                        + Arrays.stream(values()).map(p -> p.name).collect(Collectors.joining(", ")));
            }
        }
    }

    /** pgJDBC's state for a bad property value, so both drivers' errors classify alike. */
    static SQLException invalid(String message) {
        return new SQLException(message, SqlStates.INVALID_PARAMETER_VALUE);
    }
}
