package io.pgroll.cli;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forms of {@code --postgres-url} pgroll accepts, turned into what pgJDBC takes: a {@code
 * jdbc:postgresql:} URL, a user and a password. {@code postgres://} and {@code postgresql://} URLs carry
 * credentials in their authority (percent-encoded); libpq strings are {@code key=value} pairs.
 */
record ConnectionUrl(String jdbcUrl, String user, String password) {

    static ConnectionUrl parse(String url) {
        String text = url.strip();
        if (text.startsWith("jdbc:postgresql:")) {
            return new ConnectionUrl(text, null, null);
        }
        if (text.startsWith("postgres://") || text.startsWith("postgresql://")) {
            return fromUri(text);
        }
        if (text.contains("=")) {
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
            throw new IllegalArgumentException("--postgres-url is not a valid URL: " + e.getMessage());
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
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new ConnectionUrl("jdbc:postgresql://" + host + port + path + query, user, password);
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
                    unquote(part.substring(eq + 1).strip()));
        }
        String host = pairs.getOrDefault("host", "localhost");
        String port = pairs.containsKey("port") ? ":" + pairs.get("port") : "";
        String database = pairs.getOrDefault("dbname", pairs.getOrDefault("user", ""));
        List<String> params = new ArrayList<>();
        for (String key :
                List.of("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name")) {
            if (pairs.containsKey(key)) {
                String name = key.equals("connect_timeout")
                        ? "connectTimeout"
                        : key.equals("application_name") ? "ApplicationName" : key;
                params.add(name + "=" + java.net.URLEncoder.encode(pairs.get(key), StandardCharsets.UTF_8));
            }
        }
        String query = params.isEmpty() ? "" : "?" + String.join("&", params);
        return new ConnectionUrl(
                "jdbc:postgresql://" + host + port + "/" + database + query, pairs.get("user"), pairs.get("password"));
    }

    /** Splits on spaces outside single quotes, as libpq does. */
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

    private static String unquote(String value) {
        String v = value.length() >= 2 && value.startsWith("'") && value.endsWith("'")
                ? value.substring(1, value.length() - 1)
                : value;
        return v.replace("\\'", "'").replace("\\\\", "\\");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The URL with any password replaced, fit for an error message. */
    static String redact(String url) {
        return url.replaceAll("(://[^:/@]+:)[^@]*@", "$1***@").replaceAll("(password=)\\S+", "$1***");
    }
}
