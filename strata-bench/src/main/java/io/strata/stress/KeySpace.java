package io.strata.stress;

import java.nio.charset.StandardCharsets;

/**
 * The stress test's keys: {@code key} followed by the key's index in eight decimal digits, so
 * that the store's key order is index order and a range of indexes is a range of keys.
 */
final class KeySpace {
    static final int MAX_KEYS = 10_000_000;
    private static final int DIGITS = 8;
    private static final byte[] PREFIX = "key".getBytes(StandardCharsets.US_ASCII);

    private KeySpace() {}

    static byte[] key(int index) {
        byte[] key = new byte[PREFIX.length + DIGITS];
        System.arraycopy(PREFIX, 0, key, 0, PREFIX.length);
        for (int i = key.length - 1, v = index; i >= PREFIX.length; i--, v /= 10) {
            key[i] = (byte) ('0' + v % 10);
        }
        return key;
    }

    /** The index a key names, or -1 for a key the stress test never writes. */
    static int index(byte[] key) {
        if (key.length != PREFIX.length + DIGITS) {
            return -1;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (key[i] != PREFIX[i]) {
                return -1;
            }
        }
        int index = 0;
        for (int i = PREFIX.length; i < key.length; i++) {
            if (key[i] < '0' || key[i] > '9') {
                return -1;
            }
            index = index * 10 + (key[i] - '0');
        }
        return index;
    }

    /** A key for messages: printable when it is one of ours, else in hex. */
    static String describe(byte[] key) {
        if (index(key) >= 0) {
            return new String(key, StandardCharsets.US_ASCII);
        }
        return "0x" + java.util.HexFormat.of().formatHex(key);
    }
}
