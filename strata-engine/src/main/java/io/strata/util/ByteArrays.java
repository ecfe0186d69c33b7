package io.strata.util;

import java.util.Arrays;

/** Unsigned lexicographic byte-array order: the order of user keys. */
public final class ByteArrays {
    private ByteArrays() {}

    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /** Short printable form of a key for messages: printable ASCII as is, other bytes as \xNN. */
    public static String describe(byte[] key) {
        if (key == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        int n = Math.min(key.length, 64);
        for (int i = 0; i < n; i++) {
            int b = key[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        if (key.length > n) {
            sb.append("...(").append(key.length).append(" bytes)");
        }
        return sb.toString();
    }
}
