package io.strata.stress;

/**
 * The value of version {@code v} of key {@code k}: a pure function of the two, so that a value
 * read from the store tells which write made it and a damaged one is recognised. It holds the
 * key index (4 bytes, big-endian), the version (4 bytes), then filler bytes drawn from a
 * generator seeded by both; its length, between the configured bounds, is drawn the same way.
 * A value of another key, a truncated or extended value, and any changed byte all fail
 * {@link #versionOf}.
 */
final class ValueFormat {
    /** Key index and version. */
    static final int HEADER = 8;

    private final int minSize;
    private final int maxSize;

    ValueFormat(int minSize, int maxSize) {
        if (minSize < HEADER || maxSize < minSize) {
            throw new IllegalArgumentException(
                    "value sizes must satisfy " + HEADER + " <= min <= max, got " + minSize + ".." + maxSize);
        }
        this.minSize = minSize;
        this.maxSize = maxSize;
    }

    int minSize() {
        return minSize;
    }

    int maxSize() {
        return maxSize;
    }

    byte[] value(int key, int version) {
        long state = seed(key, version);
        byte[] v = new byte[minSize + (int) Long.remainderUnsigned(mix(state), maxSize - minSize + 1)];
        putInt(v, 0, key);
        putInt(v, 4, version);
        for (int i = HEADER; i < v.length; i += 8) {
            state += GOLDEN;
            long r = mix(state);
            for (int j = 0; j < 8 && i + j < v.length; j++) {
                v[i + j] = (byte) (r >>> (8 * j));
            }
        }
        return v;
    }

    /**
     * The version whose value {@code found} is, for key {@code key}.
     *
     * @throws CorruptValueException naming what is wrong, when it is no value of that key
     */
    int versionOf(int key, byte[] found) {
        if (found.length < HEADER) {
            throw new CorruptValueException("value of " + found.length + " bytes, shorter than its header");
        }
        int owner = getInt(found, 0);
        if (owner != key) {
            throw new CorruptValueException("value names key " + owner);
        }
        int version = getInt(found, 4);
        if (version < 0) {
            throw new CorruptValueException("value names version " + version);
        }
        byte[] expected = value(key, version);
        if (expected.length != found.length) {
            throw new CorruptValueException(
                    "value of version " + version + " has " + found.length + " bytes, not " + expected.length);
        }
        int at = java.util.Arrays.mismatch(expected, found);
        if (at >= 0) {
            throw new CorruptValueException("value of version " + version + " differs at byte " + at);
        }
        return version;
    }

    /** A value that is not what any write of its key stored. */
    static final class CorruptValueException extends RuntimeException {
        CorruptValueException(String message) {
            super(message);
        }
    }

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private static long seed(int key, int version) {
        return mix(((long) key << 32) | (version & 0xFFFFFFFFL));
    }

    /** SplitMix64's finaliser. */
    private static long mix(long x) {
        long z = x + GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }
}
