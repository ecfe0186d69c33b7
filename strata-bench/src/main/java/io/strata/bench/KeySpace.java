package io.strata.bench;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The keys and values of a run. Key {@code i} is {@code i} in decimal, zero-padded to the key
 * size, so keys sort as their indexes do; the store holds keys {@code [0, num)} and keys
 * {@code [num, 2 num)} are never written (readmissing's). A value is the big-endian index of its
 * key in its first 8 bytes followed by filler, so a read can tell a value of another key: every
 * read workload checks every key it reads, and a wrong or missing one fails the run.
 */
final class KeySpace {
    static final int INDEX_BYTES = Long.BYTES;

    private final int num;
    private final int keySize;
    private final int valueSize;

    KeySpace(int num, int keySize, int valueSize) {
        if (num < 1) {
            throw new IllegalArgumentException("num must be positive: " + num);
        }
        int digits = Long.toString(2L * num - 1).length();
        if (keySize < digits) {
            throw new IllegalArgumentException("keys of " + keySize + " bytes cannot hold the " + digits
                    + " decimal digits of " + num + " present and " + num + " missing keys");
        }
        if (valueSize < INDEX_BYTES) {
            throw new IllegalArgumentException("values must hold at least " + INDEX_BYTES + " bytes: " + valueSize);
        }
        this.num = num;
        this.keySize = keySize;
        this.valueSize = valueSize;
    }

    int num() {
        return num;
    }

    byte[] key(long index) {
        byte[] key = new byte[keySize];
        long v = index;
        for (int i = keySize - 1; i >= 0; i--) {
            key[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return key;
    }

    /** The index a key names, or -1 if it is no key of this space. */
    long index(byte[] key) {
        if (key.length != keySize) {
            return -1;
        }
        long v = 0;
        for (byte b : key) {
            if (b < '0' || b > '9') {
                return -1;
            }
            v = v * 10 + (b - '0');
        }
        return v;
    }

    /** A fresh value of key {@code index}: its index, then the filler's bytes. */
    byte[] value(long index, ValueFiller filler) {
        byte[] value = new byte[valueSize];
        ByteBuffer.wrap(value).putLong(index);
        filler.fill(value, INDEX_BYTES);
        return value;
    }

    /** A permutation of {@code [0, num)} drawn from {@code seed} (Fisher-Yates). */
    int[] shuffled(long seed) {
        int[] order = new int[num];
        for (int i = 0; i < num; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = num - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Throws unless {@code value}, read as key {@code index}'s, is a value of that key. */
    void checkFound(String workload, long index, byte[] value) {
        if (value == null) {
            throw new WrongReadException(workload + ": key " + index + " is missing");
        }
        if (value.length != valueSize) {
            throw new WrongReadException(
                    workload + ": key " + index + " has a value of " + value.length + " bytes, not " + valueSize);
        }
        long owner = ByteBuffer.wrap(value).getLong();
        if (owner != index) {
            throw new WrongReadException(workload + ": key " + index + " has the value of key " + owner);
        }
    }

    /** Throws unless the cursor is at key {@code expected}, with a value of that key. */
    void checkAt(String workload, StoreCursor c, long expected) {
        if (!c.valid()) {
            throw new WrongReadException(workload + ": ended before key " + expected);
        }
        long found = index(c.key());
        if (found != expected) {
            throw new WrongReadException(workload + ": found key " + found + " where key " + expected + " belongs");
        }
        checkFound(workload, expected, c.value());
    }

    /** Throws unless {@code value}, read as key {@code index}'s, says the key is absent. */
    void checkAbsent(String workload, long index, byte[] value) {
        if (value != null) {
            throw new WrongReadException(workload + ": key " + index + " should be absent but has a value");
        }
    }
}
