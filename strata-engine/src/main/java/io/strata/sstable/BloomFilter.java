package io.strata.sstable;

import java.util.List;

/**
 * A table's bloom filter over its user keys, LevelDB's scheme: {@code k} probes derived from
 * one 32-bit hash by double hashing. Encoded as the bit array followed by one byte holding
 * {@code k}. With 10 bits per key the false-positive rate is about 1%.
 */
final class BloomFilter {
    private BloomFilter() {}

    /** Probes for a given bits-per-key: bitsPerKey * ln 2, clamped to [1, 30]. */
    static int probes(int bitsPerKey) {
        return Math.max(1, Math.min(30, (int) Math.round(bitsPerKey * 0.69)));
    }

    static byte[] build(List<byte[]> userKeys, int bitsPerKey) {
        int k = probes(bitsPerKey);
        long bits = Math.max(64L, (long) userKeys.size() * bitsPerKey);
        int bytes = (int) Math.min((bits + 7) / 8, Integer.MAX_VALUE - 1);
        bits = bytes * 8L;
        byte[] filter = new byte[bytes + 1];
        filter[bytes] = (byte) k;
        for (byte[] key : userKeys) {
            int h = hash(key);
            int delta = Integer.rotateRight(h, 17);
            for (int j = 0; j < k; j++) {
                long bit = Integer.toUnsignedLong(h) % bits;
                filter[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                h += delta;
            }
        }
        return filter;
    }

    /**
     * False only if {@code userKey} was not added. A filter this code cannot interpret
     * (empty, or more than 30 probes from a future format) answers true: it must never hide a key.
     */
    static boolean mayContain(byte[] filter, byte[] userKey) {
        return mayContain(filter, userKey, userKey.length);
    }

    /** {@link #mayContain(byte[], byte[])} for the user key {@code key[0, length)}, e.g. an internal key's. */
    static boolean mayContain(byte[] filter, byte[] key, int length) {
        if (filter.length < 2) {
            return true;
        }
        int k = filter[filter.length - 1] & 0xff;
        if (k > 30) {
            return true;
        }
        long bits = (filter.length - 1) * 8L;
        int h = hash(key, length);
        int delta = Integer.rotateRight(h, 17);
        for (int j = 0; j < k; j++) {
            long bit = Integer.toUnsignedLong(h) % bits;
            if ((filter[(int) (bit >>> 3)] & (1 << (bit & 7))) == 0) {
                return false;
            }
            h += delta;
        }
        return true;
    }

    /** LevelDB's Hash(data, n, 0xbc9f1d34): Murmur-like, little-endian words. */
    static int hash(byte[] data) {
        return hash(data, data.length);
    }

    /** {@link #hash(byte[])} of {@code data[0, length)}. */
    @SuppressWarnings("fallthrough") // the tail bytes, as LevelDB's Hash: each case falls into the next
    static int hash(byte[] data, int length) {
        final int m = 0xc6a4a793;
        int h = 0xbc9f1d34 ^ (length * m);
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            int w = (data[i] & 0xff)
                    | (data[i + 1] & 0xff) << 8
                    | (data[i + 2] & 0xff) << 16
                    | (data[i + 3] & 0xff) << 24;
            h += w;
            h *= m;
            h ^= h >>> 16;
        }
        switch (length - i) {
            case 3:
                h += (data[i + 2] & 0xff) << 16;
            // fall through
            case 2:
                h += (data[i + 1] & 0xff) << 8;
            // fall through
            case 1:
                h += data[i] & 0xff;
                h *= m;
                h ^= h >>> 24;
                break;
            default:
                break;
        }
        return h;
    }
}
