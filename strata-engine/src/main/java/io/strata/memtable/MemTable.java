package io.strata.memtable;

import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory sorted table of internal keys, written by the group-commit leader and read by
 * any number of threads at the same time. {@link ConcurrentSkipListMap} makes every insert
 * visible atomically and its iterators are safe during insertion; readers stay consistent by
 * ignoring entries above their snapshot sequence, which are the only ones that can appear
 * while they read.
 *
 * <p>Each memtable is paired with the WAL segment that logs its writes: the segment may be
 * deleted once this table's SSTable is recorded in the MANIFEST.
 */
public final class MemTable {
    /** Rough per-entry cost of the skip-list node, map entry and array headers. */
    private static final int ENTRY_OVERHEAD = 64;

    private final ConcurrentSkipListMap<byte[], byte[]> table =
            new ConcurrentSkipListMap<>(InternalKey.COMPARATOR);
    private final AtomicLong memoryUsage = new AtomicLong();
    private final long walNumber;

    public MemTable(long walNumber) {
        this.walNumber = walNumber;
    }

    /** The number of the WAL segment holding this table's writes. */
    public long walNumber() {
        return walNumber;
    }

    /** Inserts an entry. {@code value} is empty for a tombstone. Callers must not reuse the arrays. */
    public void add(byte[] internalKey, byte[] value) {
        table.put(internalKey, value);
        memoryUsage.addAndGet(internalKey.length + value.length + ENTRY_OVERHEAD);
    }

    /**
     * The first entry at or after {@code seekKey} if it has the same user key, else null: for a
     * seek key built with sequence s, the newest version of that key visible at s.
     */
    public Map.Entry<byte[], byte[]> get(byte[] seekKey) {
        Map.Entry<byte[], byte[]> e = table.ceilingEntry(seekKey);
        return e != null && InternalKey.sameUserKey(e.getKey(), seekKey) ? e : null;
    }

    public long approximateMemoryUsage() {
        return memoryUsage.get();
    }

    public boolean isEmpty() {
        return table.isEmpty();
    }

    public InternalIterator iterator() {
        return new MemTableIterator();
    }

    /** A view over the skip list; it sees entries inserted after it was made, which readers filter. */
    private final class MemTableIterator implements InternalIterator {
        private Iterator<Map.Entry<byte[], byte[]>> it;
        private Map.Entry<byte[], byte[]> current;

        @Override
        public boolean valid() {
            return current != null;
        }

        @Override
        public void seekToFirst() {
            it = table.entrySet().iterator();
            advance();
        }

        @Override
        public void seek(byte[] target) {
            it = table.tailMap(target, true).entrySet().iterator();
            advance();
        }

        @Override
        public void next() {
            advance();
        }

        private void advance() {
            current = it.hasNext() ? it.next() : null;
        }

        @Override
        public byte[] key() {
            return current.getKey();
        }

        @Override
        public byte[] value() {
            return current.getValue();
        }

        @Override
        public void close() {
            current = null;
        }
    }
}
