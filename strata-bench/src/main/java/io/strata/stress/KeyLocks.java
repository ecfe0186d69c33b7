package io.strata.stress;

import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;

/**
 * Locks over ranges of consecutive keys ({@value #KEYS_PER_LOCK} a lock, as db_stress does), so
 * that a range scan takes few locks. A writer holds the locks of the keys it writes from before
 * it records its write as pending until it records it acknowledged: only the holder writes a
 * key's slot, and a holder of a range sees no write in flight in it. Locks are always taken in
 * ascending order, so no two holders deadlock.
 */
final class KeyLocks {
    static final int KEYS_PER_LOCK = 16;

    private final ReentrantLock[] locks;

    /** Locks held by one thread, released by {@link #close}. */
    final class Held implements AutoCloseable {
        private final int[] stripes;

        private Held(int[] stripes) {
            this.stripes = stripes;
            for (int s : stripes) {
                locks[s].lock();
            }
        }

        @Override
        public void close() {
            for (int i = stripes.length - 1; i >= 0; i--) {
                locks[stripes[i]].unlock();
            }
        }
    }

    KeyLocks(int keys) {
        locks = new ReentrantLock[(keys + KEYS_PER_LOCK - 1) / KEYS_PER_LOCK];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Locks every key of {@code keys} (in any order, distinct or not). */
    Held lockKeys(int... keys) {
        return new Held(IntStream.of(keys)
                .map(k -> k / KEYS_PER_LOCK)
                .sorted()
                .distinct()
                .toArray());
    }

    /** Locks the keys {@code from} (inclusive) to {@code to} (exclusive), {@code from < to}. */
    Held lockRange(int from, int to) {
        return new Held(IntStream.rangeClosed(from / KEYS_PER_LOCK, (to - 1) / KEYS_PER_LOCK)
                .toArray());
    }
}
