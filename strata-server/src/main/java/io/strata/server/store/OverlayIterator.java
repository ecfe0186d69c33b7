package io.strata.server.store;

import io.strata.StrataIterator;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The keys of a transaction's view ({@link OverlayStore}) in order, either way: the store's,
 * merged with the transaction's writes, which replace the store's value of a key or, as
 * deletions, hide it.
 *
 * <p>Invariant, between calls: when valid, {@link #key} is the nearer (in the direction of the
 * last move) of the store iterator's key and {@link #mine}'s, and neither source is behind it in
 * that direction. Not thread-safe, as any iterator.
 */
final class OverlayIterator implements StrataIterator {
    private final StrataIterator base;
    /** The transaction's writes within the iterator's bounds (null values: deletions). */
    private final NavigableMap<byte[], byte[]> written;
    /** The nearest of the transaction's writes at or beyond the position, or null. */
    private Map.Entry<byte[], byte[]> mine;

    private byte[] key;
    private byte[] value;
    /** Whether the current key comes from the store: a move steps the store's iterator too. */
    private boolean fromBase;
    /** Whether the last positioning moved backwards. */
    private boolean reverse;

    OverlayIterator(StrataIterator base, NavigableMap<byte[], byte[]> written) {
        this.base = base;
        this.written = written;
    }

    @Override
    public void seekToFirst() {
        reverse = false;
        base.seekToFirst();
        mine = written.firstEntry();
        settle();
    }

    @Override
    public void seek(byte[] target) {
        reverse = false;
        base.seek(target);
        mine = written.ceilingEntry(target);
        settle();
    }

    @Override
    public void seekToLast() {
        reverse = true;
        base.seekToLast();
        mine = written.lastEntry();
        settle();
    }

    @Override
    public void seekForPrev(byte[] target) {
        reverse = true;
        base.seekForPrev(target);
        mine = written.floorEntry(target);
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
        move(false);
    }

    @Override
    public void prev() {
        move(true);
    }

    private void move(boolean backwards) {
        requireValid();
        if (backwards != reverse) {
            // The store's iterator stands on the key or beyond it in the old direction: one step
            // brings it beyond the key in the new one (from not valid, to its end on that side).
            reverse = backwards;
            if (base.valid()) {
                stepBase();
            } else if (backwards) {
                base.seekToLast();
            } else {
                base.seekToFirst();
            }
        } else if (fromBase) {
            stepBase();
        }
        mine = beyond(key);
        settle();
    }

    /** Moves to the nearer of the two sources' keys, passing the transaction's deletions. */
    private void settle() {
        while (true) {
            byte[] b = base.valid() ? base.key() : null;
            if (b == null && mine == null) {
                key = null;
                value = null;
                return;
            }
            // Below 0: the store's key comes first in the direction of travel.
            int c = b == null
                    ? 1
                    : mine == null ? -1 : Integer.signum(Arrays.compareUnsigned(b, mine.getKey())) * (reverse ? -1 : 1);
            if (c < 0) {
                key = b;
                value = base.value();
                fromBase = true;
                return;
            }
            if (mine.getValue() == null) {
                if (c == 0) {
                    stepBase();
                }
                mine = beyond(mine.getKey());
                continue;
            }
            key = mine.getKey();
            value = mine.getValue();
            fromBase = c == 0;
            return;
        }
    }

    private void stepBase() {
        if (reverse) {
            base.prev();
        } else {
            base.next();
        }
    }

    /** The transaction's nearest write strictly beyond {@code k} in the direction of travel. */
    private Map.Entry<byte[], byte[]> beyond(byte[] k) {
        return reverse ? written.lowerEntry(k) : written.higherEntry(k);
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
