package io.pgroll.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.postgresql.PGProperty;

/**
 * libpq's connection parameters as pgJDBC takes them. A URL written for libpq (every Neon URL has
 * {@code channel_binding=require}) must not connect with less than it demands because pgJDBC does not
 * know the parameter's name: each one pgJDBC can honour is renamed, one that demands a guarantee pgJDBC
 * cannot give is refused, and one that only tunes the connection is dropped with a warning.
 */
final class LibpqParameters {
    /** A parameter as pgJDBC takes it. */
    record Translated(String name, String value) {}

    private record Mapping(String pgjdbcName, UnaryOperator<String> value) {}

    private static final Map<String, Mapping> RENAMED = Map.of(
            "channel_binding", new Mapping("channelBinding", v -> v),
            "connect_timeout", new Mapping("connectTimeout", v -> v),
            "application_name", new Mapping("ApplicationName", v -> v),
            "gssencmode", new Mapping("gssEncMode", v -> v),
            "sslnegotiation", new Mapping("sslNegotiation", v -> v),
            "krbsrvname", new Mapping("kerberosServerName", v -> v),
            "keepalives",
                    new Mapping("tcpKeepAlive", v -> String.valueOf(!v.strip().equals("0"))),
            "target_session_attrs", new Mapping("targetServerType", LibpqParameters::targetServerType));

    /** libpq parameters that ask for a guarantee about the server or the connection pgJDBC cannot give. */
    private static final Set<String> DEMANDING = Set.of(
            "require_auth",
            "requirepeer",
            "sslcrl",
            "sslcrldir",
            "sslcertmode",
            "ssl_min_protocol_version",
            "ssl_max_protocol_version",
            "min_protocol_version",
            "max_protocol_version");

    /** libpq parameters that only tune the connection and that pgJDBC has no equivalent for. */
    private static final Set<String> TUNING = Set.of(
            "fallback_application_name",
            "client_encoding",
            "keepalives_idle",
            "keepalives_interval",
            "keepalives_count",
            "tcp_user_timeout",
            "hostaddr",
            "sslcompression",
            "sslsni",
            "load_balance_hosts",
            "gssdelegation",
            "passfile",
            "service",
            "sslkeylogfile",
            "scram_client_key",
            "scram_server_key");

    private static final Set<String> PGJDBC =
            Stream.of(PGProperty.values()).map(PGProperty::getName).collect(Collectors.toUnmodifiableSet());

    private LibpqParameters() {}

    /** The parameter as pgJDBC takes it, or empty (with a warning added) when it is dropped. */
    static Optional<Translated> translate(String name, String value, List<String> warnings) {
        Mapping mapping = RENAMED.get(name);
        if (mapping != null) {
            return Optional.of(
                    new Translated(mapping.pgjdbcName(), mapping.value().apply(value)));
        }
        if (PGJDBC.contains(name)) {
            return Optional.of(new Translated(name, value));
        }
        if (DEMANDING.contains(name)) {
            throw new IllegalArgumentException("--postgres-url: the connection parameter " + name + "=" + value
                    + " demands what the JDBC driver cannot guarantee, so the tool will not connect without it;"
                    + " remove it from the URL to connect without that guarantee");
        }
        if (TUNING.contains(name)) {
            warnings.add("the connection parameter " + name + " has no equivalent in the JDBC driver and is ignored");
        } else {
            warnings.add("the connection parameter " + name
                    + " is neither libpq's nor the JDBC driver's (a typo?) and is ignored");
        }
        return Optional.empty();
    }

    private static String targetServerType(String attrs) {
        return switch (attrs.strip()) {
            case "read-write", "primary" -> "primary";
            case "read-only", "standby" -> "secondary";
            case "prefer-standby" -> "preferSecondary";
            case "any" -> "any";
            default -> throw new IllegalArgumentException("--postgres-url: target_session_attrs=" + attrs
                    + " is not one of any, read-write, read-only, primary, standby, prefer-standby");
        };
    }
}
