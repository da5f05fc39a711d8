package io.pgroll.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Amounts of bytes as PostgreSQL's settings take them: {@code 65536}, {@code 512kB}, {@code 64MB}, {@code 1GB}. */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|kB|MB|GB|TB)?", Pattern.CASE_INSENSITIVE);
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};

    private Sizes() {}

    /** The size in bytes, at least 1; units are of 1024, as PostgreSQL's. */
    static long parse(String text, String flag) {
        Matcher m = SIZE.matcher(text.strip());
        if (m.matches()) {
            String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
            int power = Arrays.asList(UNITS).indexOf(unit);
            try {
                long bytes = Math.multiplyExact(Long.parseLong(m.group(1)), 1L << (10 * power));
                if (bytes > 0) {
                    return bytes;
                }
            } catch (ArithmeticException | NumberFormatException tooLarge) {
                // told below, as any other size that cannot be
            }
        }
        throw new IllegalArgumentException(
                flag + " \"" + text + "\" is not a size of at least one byte; write it like 65536, 512kB, 64MB or 1GB");
    }
}
