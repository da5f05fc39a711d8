package io.pgroll.jdbc;

import java.sql.SQLException;

/** What {@code pgrollVersion} asks for. */
sealed interface VersionSpec {
    String LATEST = "latest";
    String CLASSPATH = "classpath:";

    /** The property's value as the user wrote it, for messages. */
    String text();

    /** The newest version the state store records, cached for a few seconds. */
    record Latest() implements VersionSpec {
        @Override
        public String text() {
            return LATEST;
        }
    }

    /** The newest migration file of a classpath directory: what this build of the application was written for. */
    record Classpath(String directory) implements VersionSpec {
        @Override
        public String text() {
            return CLASSPATH + directory;
        }
    }

    /** A migration name, a version schema suffix or a whole version schema name. */
    record Named(String name) implements VersionSpec {
        @Override
        public String text() {
            return name;
        }

        /**
         * The version schema this name most likely means, without asking the database: a name that
         * already starts with {@code <schema>_} is taken whole, any other is a migration name. The
         * validation query corrects the guess when the migration has a {@code version_schema} of its own.
         */
        String guess(String schema) {
            String prefix = schema + "_";
            return name.startsWith(prefix) && name.length() > prefix.length() ? name : prefix + name;
        }
    }

    static VersionSpec parse(String value) throws SQLException {
        if (value.equals(LATEST)) {
            return new Latest();
        }
        if (value.startsWith(CLASSPATH)) {
            String directory = value.substring(CLASSPATH.length()).replaceAll("^/+|/+$", "");
            if (directory.isEmpty()) {
                throw PgrollProperty.invalid(PgrollProperty.VERSION.getName()
                        + "=classpath: needs a directory, e.g. classpath:db/migrations");
            }
            return new Classpath(directory);
        }
        return new Named(value);
    }
}
