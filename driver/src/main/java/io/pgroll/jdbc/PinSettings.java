package io.pgroll.jdbc;

import java.sql.SQLException;
import java.util.Properties;

/**
 * The pgroll properties of one connection request, checked. {@link #from} answers null when no
 * version is asked for: such a connection is plain pgJDBC.
 */
record PinSettings(VersionSpec version, String schema, String stateSchema, PinMode pinMode, boolean validate) {

    enum PinMode {
        /** {@code search_path} in the startup packet: the session's default, which RESET and DISCARD keep. */
        STARTUP,
        /** {@code SET search_path} right after connecting, outside any transaction, for proxies. */
        STATEMENT
    }

    static PinSettings from(Properties properties) throws SQLException {
        PgrollProperty.checkKnown(properties);
        String version = PgrollProperty.VERSION.getChecked(properties);
        String schema = PgrollProperty.SCHEMA.getChecked(properties);
        String stateSchema = PgrollProperty.STATE_SCHEMA.getChecked(properties);
        PinMode pinMode = PgrollProperty.PIN_MODE.getChecked(properties).equals("statement")
                ? PinMode.STATEMENT
                : PinMode.STARTUP;
        boolean validate = PgrollProperty.VALIDATE.getBoolean(properties);
        if (version == null) {
            return null;
        }
        return new PinSettings(VersionSpec.parse(version), schema, stateSchema, pinMode, validate);
    }

    /** {@code pgrollVersion=...}, as messages name the request. */
    String describe() {
        return PgrollProperty.VERSION.getName() + "=" + version.text();
    }
}
