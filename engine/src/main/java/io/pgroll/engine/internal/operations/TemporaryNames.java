package io.pgroll.engine.internal.operations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of the objects the tool creates for a migration's duration: {@code _pgroll_<kind>_<parts>}.
 * PostgreSQL truncates names past 63 bytes, so two long names could become one; a long name is cut
 * and ends with a hash of the whole, which keeps it unique and the same on every run (rollback and
 * complete must find what start created).
 */
final class TemporaryNames {
    static final String PREFIX = VirtualSchema.TEMPORARY_PREFIX;
    private static final int MAX_BYTES = 63;

    private TemporaryNames() {}

    static String of(String kind, String... parts) {
        String name = PREFIX + kind + "_" + String.join("_", parts);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return name;
        }
        String hash = HexFormat.of().formatHex(sha256(bytes), 0, 4);
        StringBuilder cut = new StringBuilder();
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            String next = new String(Character.toChars(cp));
            if (cut.toString().getBytes(StandardCharsets.UTF_8).length + next.getBytes(StandardCharsets.UTF_8).length
                    > MAX_BYTES - hash.length() - 1) {
                break;
            }
            cut.append(next);
            i += Character.charCount(cp);
        }
        return cut + "_" + hash;
    }

    /** The column that holds a column's new shape while a migration is active, as pgroll names it. */
    static String newColumn(String column) {
        return of("new", column);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
