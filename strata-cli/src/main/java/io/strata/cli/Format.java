package io.strata.cli;

import io.strata.key.InternalKey;
import io.strata.key.ValueType;

/** Printable forms of keys and values for the tools' output. */
final class Format {
    private Format() {}

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * {@code b} in double quotes: printable ASCII as it is, {@code \\} and {@code \"} escaped,
     * every other byte as {@code \xNN}. At most {@code max} bytes are shown; more are marked
     * with "...".
     */
    static String escape(byte[] b, int max) {
        int n = Math.min(b.length, max);
        StringBuilder sb = new StringBuilder(n + 2).append('"');
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c == '\\' || c == '"') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append("\\x").append(HEX[c >>> 4]).append(HEX[c & 0xf]);
            }
        }
        sb.append('"');
        if (b.length > n) {
            sb.append("...");
        }
        return sb.toString();
    }

    static String escape(byte[] b) {
        return escape(b, Integer.MAX_VALUE);
    }

    /** An internal key as {@code "user key" @sequence TYPE}. */
    static String internalKey(byte[] ikey) {
        if (ikey.length < InternalKey.TRAILER_SIZE) {
            return "(malformed key " + escape(ikey) + ")";
        }
        return escape(InternalKey.userKey(ikey)) + " @" + InternalKey.sequence(ikey) + " "
                + type(InternalKey.type(ikey));
    }

    static String type(int type) {
        return switch (type) {
            case ValueType.VALUE -> "PUT";
            case ValueType.DELETION -> "DEL";
            default -> "type" + type;
        };
    }

    /** "1 table", "2 tables". */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
