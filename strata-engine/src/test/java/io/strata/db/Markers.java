package io.strata.db;

import static io.strata.db.StoreFiles.b;

import io.strata.StrataDb;
import io.strata.WriteBatch;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Numbered batches for the marker tests: batch {@code i} puts {@link #KEYS_PER_BATCH} keys of its
 * own and carries the marker {@code i} as a big-endian long (how a replicated log's index orders),
 * so what a store holds can be checked against the marker it reports, batch by batch.
 */
final class Markers {
    static final int KEYS_PER_BATCH = 3;

    private Markers() {}

    static byte[] marker(long i) {
        return ByteBuffer.allocate(Long.BYTES).putLong(i).array();
    }

    /** The batch number a marker of {@link #marker} names, or -1 for none. */
    static long number(byte[] marker) {
        return marker == null ? -1 : ByteBuffer.wrap(marker).getLong();
    }

    static byte[] key(long batch, int k) {
        return b(String.format("batch-%08d-%d", batch, k));
    }

    static byte[] value(long batch, int k) {
        return b(String.format("value-%08d-%d-", batch, k) + "v".repeat(40));
    }

    static WriteBatch batch(long i) {
        WriteBatch batch = new WriteBatch().marker(marker(i));
        for (int k = 0; k < KEYS_PER_BATCH; k++) {
            batch.put(key(i, k), value(i, k));
        }
        return batch;
    }

    /** How many of batch {@code i}'s keys {@code db} holds, with the right values. */
    static int keysHeld(StrataDb db, long i) {
        int held = 0;
        for (int k = 0; k < KEYS_PER_BATCH; k++) {
            byte[] v = db.get(key(i, k));
            if (v != null && Arrays.equals(v, value(i, k))) {
                held++;
            }
        }
        return held;
    }

    /**
     * Checks that {@code db} holds batches 0 to {@code through} whole and none of the batches
     * after it up to {@code written} (exclusive); returns a description of the first violation,
     * or null.
     */
    static String checkPrefix(StrataDb db, long through, long written) {
        for (long i = 0; i < written; i++) {
            int held = keysHeld(db, i);
            int expected = i <= through ? KEYS_PER_BATCH : 0;
            if (held != expected) {
                return "batch " + i + ": " + held + " of " + KEYS_PER_BATCH + " keys held, expected " + expected
                        + " (the store's marker names batch " + through + ")";
            }
        }
        return null;
    }
}
