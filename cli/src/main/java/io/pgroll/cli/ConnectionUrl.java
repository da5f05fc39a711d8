package io.pgroll.cli;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forms of {@code --postgres-url} pgroll accepts, turned into what pgJDBC takes: a {@code
 * jdbc:postgresql:} URL, a user and a password. {@code postgres://} and {@code postgresql://} URLs carry
 * credentials in their authority (percent-encoded); libpq strings are {@code key=value} pairs. Both
 * may carry libpq's connection parameters, which pgJDBC sometimes names differently.
 */
record ConnectionUrl(String jdbcUrl, String user, String password, List<String> warnings) {
    ConnectionUrl {
        warnings = List.copyOf(warnings);
    }

    static ConnectionUrl parse(String url) {
        String text = url.strip();
        if (text.startsWith("jdbc:postgresql:")) {
            return new ConnectionUrl(text, null, null, List.of());
        }
        if (text.startsWith("postgres://") || text.startsWith("postgresql://")) {
            return fromUri(text);
        }
        if (isKeyValues(text)) {
            return fromKeyValues(text);
        }
        throw new IllegalArgumentException("--postgres-url \"" + redact(url) + "\" is neither a postgres:// or "
                + "jdbc:postgresql:// URL nor a libpq key=value string (e.g. \"host=localhost dbname=app user=me\")");
    }

    private static ConnectionUrl fromUri(String text) {
        URI uri;
        try {
            uri = URI.create(text.replaceFirst("^postgres(ql)?://", "postgresql://"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--postgres-url \"" + redact(text) + "\" is not a valid URL: " + redact(e.getMessage()));
        }
        String user = null;
        String password = null;
        String rawUserInfo = uri.getRawUserInfo();
        if (rawUserInfo != null) {
            int colon = rawUserInfo.indexOf(':');
            user = decode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
            password = colon < 0 ? null : decode(rawUserInfo.substring(colon + 1));
        }
        String host = uri.getHost() == null ? "localhost" : uri.getHost();
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        List<String> params = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                LibpqParameters.translate(key, value, warnings).ifPresent(p -> params.add(parameter(p)));
            }
        }
        return new ConnectionUrl("jdbc:postgresql://" + host + port + path + query(params), user, password, warnings);
    }

    private static ConnectionUrl fromKeyValues(String text) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String part : splitKeyValues(text)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--postgres-url: \"" + part + "\" is not a key=value pair");
            }
            pairs.put(
                    part.substring(0, eq).strip(),
                    unescape(part.substring(eq + 1).strip()));
        }
        String host = pairs.getOrDefault("host", "localhost");
        String port = pairs.containsKey("port") ? ":" + pairs.get("port") : "";
        // libpq's default database is the user's name
        String database = pairs.getOrDefault("dbname", pairs.getOrDefault("user", ""));
        List<String> params = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        pairs.forEach((key, value) -> {
            if (!List.of("host", "port", "dbname", "user", "password").contains(key)) {
                LibpqParameters.translate(key, value, warnings).ifPresent(p -> params.add(parameter(p)));
            }
        });
        return new ConnectionUrl(
                "jdbc:postgresql://" + host + port + "/" + database + query(params),
                pairs.get("user"),
                pairs.get("password"),
                warnings);
    }

    private static String parameter(LibpqParameters.Translated p) {
        return p.name() + "=" + URLEncoder.encode(p.value(), StandardCharsets.UTF_8);
    }

    /**
     * {@code url}, in the form it was given, with {@code search_path} set to {@code schema} through the
     * {@code options} connection parameter, which libpq and pgJDBC both read.
     */
    static String withSearchPath(String url, String schema) {
        String option = "-c search_path=" + schema;
        if (isKeyValues(url.strip())) {
            return url.strip() + " options='" + option.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        return url + (url.contains("?") ? "&" : "?") + "options="
                + URLEncoder.encode(option, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean isKeyValues(String text) {
        return !text.startsWith("jdbc:postgresql:")
                && !text.startsWith("postgres://")
                && !text.startsWith("postgresql://")
                && text.contains("=");
    }

    private static String query(List<String> params) {
        return params.isEmpty() ? "" : "?" + String.join("&", params);
    }

    /** Splits on whitespace outside single quotes, as libpq does; a backslash escapes the next character. */
    private static List<String> splitKeyValues(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
            } else if (c == '\'') {
                quoted = !quoted;
                current.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (current.length() > 0) {
                    parts.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            parts.add(current.toString());
        }
        return parts;
    }

    /** A value without its quotes and escapes: {@code 'it\'s'} is {@code it's}. */
    private static String unescape(String value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                sb.append(value.charAt(++i));
            } else if (c != '\'') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The URL with any password replaced, fit for an error message. */
    static String redact(String url) {
        return url.replaceAll("(://[^:/@]+:)[^@]*@", "$1***@")
                .replaceAll("(password=)('(\\\\.|[^'])*'|[^&\\s]+)", "$1***");
    }
}
