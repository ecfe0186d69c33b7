package io.strata;

/** Size limits on what a caller may store. Violations raise {@link IllegalArgumentException}. */
public final class Limits {
    private Limits() {}

    /** Largest key: 64 KiB. Keys must also be non-empty. */
    public static final int MAX_KEY_SIZE = 64 * 1024;
    /** Largest value: 64 MiB. Empty values are allowed. */
    public static final int MAX_VALUE_SIZE = 64 * 1024 * 1024;
    /** Largest encoded write batch: 256 MiB (it is one WAL record). */
    public static final int MAX_BATCH_SIZE = 256 * 1024 * 1024;
    /** Largest marker of a write batch ({@link WriteBatch#marker(byte[])}): 64 bytes. */
    public static final int MAX_MARKER_SIZE = 64;

    static void checkKey(byte[] key) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (key.length > MAX_KEY_SIZE) {
            throw new IllegalArgumentException("key is " + key.length + " bytes; the limit is " + MAX_KEY_SIZE);
        }
    }

    static void checkMarker(byte[] marker) {
        if (marker != null && marker.length > MAX_MARKER_SIZE) {
            throw new IllegalArgumentException(
                    "marker is " + marker.length + " bytes; the limit is " + MAX_MARKER_SIZE);
        }
    }

    static void checkValue(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null (use delete to remove a key)");
        }
        if (value.length > MAX_VALUE_SIZE) {
            throw new IllegalArgumentException("value is " + value.length + " bytes; the limit is " + MAX_VALUE_SIZE);
        }
    }
}
