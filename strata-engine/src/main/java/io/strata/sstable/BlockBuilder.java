package io.strata.sstable;

import io.strata.util.Coding;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Builds a block of sorted entries with prefix compression. Each entry stores how many bytes
 * of its key it shares with the previous key; every {@code restartInterval} entries a restart
 * point stores its key whole, so a reader can binary-search the restarts and decode forward
 * from one. Format in docs/FORMATS.md; {@link Block} reads it.
 */
final class BlockBuilder {
    private final int restartInterval;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private int[] restarts = new int[16];
    private int numRestarts;
    private int counter;
    private byte[] lastKey = new byte[0];
    private final byte[] varints = new byte[15];

    BlockBuilder(int restartInterval) {
        this.restartInterval = restartInterval;
        reset();
    }

    void reset() {
        buffer.reset();
        numRestarts = 0;
        addRestart();
        counter = 0;
        lastKey = new byte[0];
    }

    /** Adds an entry; keys must arrive in increasing order. */
    void add(byte[] key, byte[] value) {
        int shared = 0;
        if (counter < restartInterval) {
            int max = Math.min(lastKey.length, key.length);
            while (shared < max && lastKey[shared] == key[shared]) {
                shared++;
            }
        } else {
            addRestart();
            counter = 0;
        }
        int nonShared = key.length - shared;
        int n = Coding.putVarint64(varints, 0, shared);
        n = Coding.putVarint64(varints, n, nonShared);
        n = Coding.putVarint64(varints, n, value.length);
        buffer.write(varints, 0, n);
        buffer.write(key, shared, nonShared);
        buffer.write(value, 0, value.length);
        lastKey = key;
        counter++;
    }

    private void addRestart() {
        if (numRestarts == restarts.length) {
            restarts = Arrays.copyOf(restarts, numRestarts * 2);
        }
        restarts[numRestarts++] = buffer.size();
    }

    /** Size of the block {@link #finish()} would return now. */
    int currentSize() {
        return buffer.size() + 4 * numRestarts + 4;
    }

    boolean isEmpty() {
        return buffer.size() == 0;
    }

    /** The finished block contents: entries, restart offsets, restart count. */
    byte[] finish() {
        byte[] tail = new byte[4 * numRestarts + 4];
        for (int i = 0; i < numRestarts; i++) {
            Coding.putFixed32(tail, 4 * i, restarts[i]);
        }
        Coding.putFixed32(tail, 4 * numRestarts, numRestarts);
        buffer.write(tail, 0, tail.length);
        return buffer.toByteArray();
    }
}
