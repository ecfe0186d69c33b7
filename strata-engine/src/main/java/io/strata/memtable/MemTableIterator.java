package io.strata.memtable;

import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;

/**
 * A cursor over a memtable: a node of its skip list and an entry of that node's chain. Both
 * addresses stay valid (nothing moves), and every move is from where it stands: along the chain
 * (by trailer, so that a version put into the chain meanwhile is no obstacle), then to the
 * neighbouring node. key() and value() are copies made when first asked for at a position, so a
 * merge comparing keys many times copies each key once.
 */
final class MemTableIterator implements InternalIterator {
    private final SkipList index;
    private final MemTableEntries entries;
    /** The current node, 0 when not valid. */
    private long node;
    /** The current entry, of the node's key. */
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
        moveToNewest(index.first());
    }

    @Override
    public void seek(byte[] target) {
        int keyLength = target.length - InternalKey.TRAILER_SIZE;
        long at = index.seek(target, keyLength);
        if (at != 0 && entries.hasUserKey(index.entry(at), target, 0, keyLength)) {
            long found = entries.atOrBelow(index.entry(at), InternalKey.trailer(target));
            if (found != 0) {
                moveTo(at, found);
                return;
            }
            at = index.next(at);
        }
        moveToNewest(at);
    }

    @Override
    public void seekToLast() {
        moveToOldest(index.last());
    }

    @Override
    public void next() {
        long older = entries.older(entry);
        if (older != 0) {
            moveTo(node, older);
        } else {
            moveToNewest(index.next(node));
        }
    }

    @Override
    public void prev() {
        long trailer = entries.trailer(entry);
        long newer = 0;
        for (long e = index.entry(node); e != 0 && Long.compareUnsigned(entries.trailer(e), trailer) > 0; ) {
            newer = e;
            e = entries.older(e);
        }
        if (newer != 0) {
            moveTo(node, newer);
        } else {
            moveToOldest(index.prev(node));
        }
    }

    /** To the newest entry of {@code to}, or nowhere for 0. */
    private void moveToNewest(long to) {
        moveTo(to, to != 0 ? index.entry(to) : 0);
    }

    /** To the oldest entry of {@code to}, or nowhere for 0. */
    private void moveToOldest(long to) {
        long oldest = 0;
        if (to != 0) {
            oldest = index.entry(to);
            for (long older = entries.older(oldest); older != 0; older = entries.older(older)) {
                oldest = older;
            }
        }
        moveTo(to, oldest);
    }

    private void moveTo(long toNode, long toEntry) {
        node = toNode;
        entry = toEntry;
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
        moveTo(0, 0);
    }
}
