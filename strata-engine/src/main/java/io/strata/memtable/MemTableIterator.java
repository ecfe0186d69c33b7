package io.strata.memtable;

import io.strata.iterator.InternalIterator;

/**
 * A cursor over a memtable's skip list. It holds a node address, which stays valid (nodes never
 * move); key() and value() are copies made when first asked for at a position, so a merge
 * comparing keys many times copies each key once.
 */
final class MemTableIterator implements InternalIterator {
    private final SkipList index;
    private final MemTableEntries entries;
    /** The current node, 0 when not valid. */
    private long node;
    /** The current node's entry, read once per position. */
    private long entry;

    private byte[] key;
    private byte[] value;

    MemTableIterator(SkipList index, MemTableEntries entries) {
        this.index = index;
        this.entries = entries;
    }

    @Override
    public boolean valid() {
        return node != 0;
    }

    @Override
    public void seekToFirst() {
        moveTo(index.first());
    }

    @Override
    public void seek(byte[] target) {
        moveTo(index.seek(target));
    }

    @Override
    public void seekToLast() {
        moveTo(index.last());
    }

    @Override
    public void next() {
        moveTo(index.next(node));
    }

    @Override
    public void prev() {
        moveTo(index.prev(node));
    }

    private void moveTo(long to) {
        node = to;
        entry = to != 0 ? index.entry(to) : 0;
        key = null;
        value = null;
    }

    @Override
    public byte[] key() {
        if (key == null) {
            key = entries.key(entry);
        }
        return key;
    }

    @Override
    public byte[] value() {
        if (value == null) {
            value = entries.value(entry);
        }
        return value;
    }

    @Override
    public void close() {
        moveTo(0);
    }
}
