package io.strata.server.util;

import java.math.BigInteger;

/**
 * SCAN cursors. A cursor names the next key to return, so a scan walks the keys in order and
 * needs no state on the server: it survives restarts, and a full scan returns every key that
 * existed for its whole duration (keys are never reordered, unlike a rehashing hash table).
 *
 * <p>The cursor is the decimal form of the unsigned integer whose big-endian bytes are
 * {@code 0x01} followed by the key; "0" starts and ends a scan, as in Redis. Decimal keeps
 * clients that parse the cursor as a number working: exactly for keys of up to 7 bytes with
 * those that hold it in 64 bits (redis-cli --scan), for every key with those that use
 * big integers or treat it as a string (Jedis, Lettuce, redis-py).
 */
public final class ScanCursor {
    private ScanCursor() {}

    public static final String START = "0";

    public static String encode(byte[] key) {
        byte[] b = new byte[key.length + 1];
        b[0] = 1;
        System.arraycopy(key, 0, b, 1, key.length);
        return new BigInteger(1, b).toString();
    }

    /** The key a cursor names: empty for "0", null if the cursor is not one this server made. */
    public static byte[] decode(String cursor) {
        if (cursor.equals(START)) {
            return new byte[0];
        }
        int n = cursor.length();
        if (n == 0 || n > 160_000 || cursor.charAt(0) == '0') {
            return null;
        }
        for (int i = 0; i < n; i++) {
            char c = cursor.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        byte[] b = new BigInteger(cursor).toByteArray();
        int start = b[0] == 0 ? 1 : 0; // a sign byte
        if (start >= b.length || b[start] != 1 || b.length - start - 1 == 0) {
            return null;
        }
        byte[] key = new byte[b.length - start - 1];
        System.arraycopy(b, start + 1, key, 0, key.length);
        return key;
    }
}
