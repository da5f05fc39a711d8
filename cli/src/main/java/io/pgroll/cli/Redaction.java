package io.pgroll.cli;

import java.util.regex.Pattern;

/**
 * Passwords out of what the CLI prints: a message may quote an argument or a URL as the user typed it
 * ({@code postgres://user:secret@host/db}, {@code jdbc:postgresql://host/db?password=secret}).
 */
final class Redaction {
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/\\s:@]*:)[^@\\s/]*@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(\\bpassword=)[^&\\s'\"]*");

    private Redaction() {}

    static String of(String message) {
        if (message == null) {
            return null;
        }
        String redacted = URL_PASSWORD.matcher(message).replaceAll("$1***@");
        return PASSWORD_PARAMETER.matcher(redacted).replaceAll("$1***");
    }
}
