package io.strata.db;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.strata.Snapshot;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The live snapshots' sequences, with counts, so that compaction knows the oldest sequence a
 * reader may still ask for. All methods synchronize on this object.
 *
 * <p>Both {@link #take} and {@link #oldest} read the store's last sequence under that lock, so
 * a compaction never misses a snapshot being taken: were the sequence read before the lock, a
 * compaction could start (seeing no snapshot and a newer sequence) and drop versions in between,
 * and the snapshot would then register a sequence whose versions are gone.
 */
final class SnapshotList {
    /** Per live snapshot sequence, how many snapshots hold it. */
    @GuardedBy("this")
    private final TreeMap<Long, Integer> live = new TreeMap<>();

    synchronized Snapshot take(LongSupplier lastSequence, DbImpl owner) {
        long sequence = lastSequence.getAsLong();
        live.merge(sequence, 1, Integer::sum);
        return new SnapshotImpl(sequence, owner, this);
    }

    synchronized void release(long sequence) {
        live.computeIfPresent(sequence, (k, n) -> n == 1 ? null : n - 1);
    }

    /** The oldest live snapshot's sequence, or the last sequence when there is none. */
    synchronized long oldest(LongSupplier lastSequence) {
        return live.isEmpty() ? lastSequence.getAsLong() : live.firstKey();
    }

    /** The newest live snapshot's sequence, or {@code ifNone} when there is none. */
    synchronized long newest(long ifNone) {
        return live.isEmpty() ? ifNone : live.lastKey();
    }

    synchronized int size() {
        return live.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Immutable but for {@link #released}. */
    static final class SnapshotImpl implements Snapshot {
        private final long sequence;
        final DbImpl owner;
        private final SnapshotList list;
        /** Volatile: set once, under the list's lock (so it is released once), read lock-free. */
        private volatile boolean released;

        private SnapshotImpl(long sequence, DbImpl owner, SnapshotList list) {
            this.sequence = sequence;
            this.owner = owner;
            this.list = list;
        }

        @Override
        public long sequence() {
            return sequence;
        }

        boolean released() {
            return released;
        }

        @Override
        public void close() {
            synchronized (list) {
                if (!released) {
                    released = true;
                    list.release(sequence);
                }
            }
        }
    }
}
