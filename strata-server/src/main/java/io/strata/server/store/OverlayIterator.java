package io.strata.server.store;

import io.strata.StrataIterator;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The keys of a transaction's view ({@link OverlayStore}) in order: the store's, merged with the
 * transaction's writes, which replace the store's value of a key or, as deletions, hide it.
 *
 * <p>Invariant, between calls: when valid, {@link #key} is the smaller of the store iterator's
 * key and {@link #mine}'s, and neither source is behind it. Not thread-safe, as any iterator.
 */
final class OverlayIterator implements StrataIterator {
    private final StrataIterator base;
    /** The transaction's writes within the iterator's bounds (null values: deletions). */
    private final NavigableMap<byte[], byte[]> written;
    /** The next of the transaction's writes at or after the position, or null. */
    private Map.Entry<byte[], byte[]> mine;

    private byte[] key;
    private byte[] value;
    /** Which sources the current key comes from: {@link #next} advances both when they are equal. */
    private boolean fromBase;

    private boolean fromMine;

    OverlayIterator(StrataIterator base, NavigableMap<byte[], byte[]> written) {
        this.base = base;
        this.written = written;
    }

    @Override
    public void seekToFirst() {
        base.seekToFirst();
        mine = written.firstEntry();
        settle();
    }

    @Override
    public void seek(byte[] target) {
        base.seek(target);
        mine = written.ceilingEntry(target);
        settle();
    }

    @Override
    public boolean valid() {
        return key != null;
    }

    @Override
    public byte[] key() {
        requireValid();
        return key.clone();
    }

    @Override
    public byte[] value() {
        requireValid();
        return value.clone();
    }

    @Override
    public void next() {
        requireValid();
        if (fromBase) {
            base.next();
        }
        if (fromMine) {
            mine = written.higherEntry(mine.getKey());
        }
        settle();
    }

    /** Moves to the smaller of the two sources' keys, passing the transaction's deletions. */
    private void settle() {
        while (true) {
            byte[] b = base.valid() ? base.key() : null;
            if (b == null && mine == null) {
                key = null;
                value = null;
                return;
            }
            int c = b == null ? 1 : mine == null ? -1 : Arrays.compareUnsigned(b, mine.getKey());
            if (c < 0) {
                key = b;
                value = base.value();
                fromBase = true;
                fromMine = false;
                return;
            }
            if (mine.getValue() == null) {
                if (c == 0) {
                    base.next();
                }
                mine = written.higherEntry(mine.getKey());
                continue;
            }
            key = mine.getKey();
            value = mine.getValue();
            fromBase = c == 0;
            fromMine = true;
            return;
        }
    }

    private void requireValid() {
        if (key == null) {
            throw new IllegalStateException("iterator is not positioned on a key");
        }
    }

    @Override
    public void close() {
        base.close();
    }
}
