package io.strata.bench.jmh;

import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** db_bench's keys: 16-byte zero-padded decimals, in random order from a fixed seed. */
final class Keys {
    static final long SEED = 301;

    private Keys() {}

    static byte[] userKey(long i) {
        return String.format("%016d", i).getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code n} distinct user keys, shuffled with {@link #SEED}. */
    static byte[][] shuffled(int n) {
        byte[][] keys = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = userKey(i);
        }
        Random random = new Random(SEED);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            byte[] t = keys[i];
            keys[i] = keys[j];
            keys[j] = t;
        }
        return keys;
    }

    /** The internal keys of {@code userKeys}, as values at sequence {@code i + 1}. */
    static byte[][] internal(byte[][] userKeys) {
        byte[][] out = new byte[userKeys.length][];
        for (int i = 0; i < userKeys.length; i++) {
            out[i] = InternalKey.encode(userKeys[i], i + 1, ValueType.VALUE);
        }
        return out;
    }
}
