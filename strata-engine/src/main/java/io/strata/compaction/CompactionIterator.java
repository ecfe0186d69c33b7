package io.strata.compaction;

import io.strata.CompactionFilter;
import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;

/**
 * The entries of a compaction's merged inputs that must survive it (LevelDB's rules):
 * <ul>
 * <li>an entry is dropped when a newer entry for the same user key has a sequence at or below
 * {@code smallestSnapshot}: every reader, present or future, sees that newer one instead;</li>
 * <li>a tombstone at or below {@code smallestSnapshot} is dropped when no level below the
 * output can hold the key: it has nothing left to shadow.</li>
 * </ul>
 * Everything else is kept, so a reader at any live snapshot finds what it found before. With a
 * {@link CompactionFilter}, the newest value of a key that no live snapshot can see (its
 * sequence is above {@code newestSnapshot}) and that the filter calls dead is replaced by a
 * tombstone of the same sequence (dropped at once where tombstones may be), so the older
 * versions it shadowed stay shadowed for every reader.
 */
public final class CompactionIterator implements AutoCloseable {
    private final InternalIterator input;
    private final long smallestSnapshot;
    private final Compaction compaction;
    private final CompactionFilter filter;
    private final long newestSnapshot;
    private byte[] currentUserKey;
    /** The entry to return: the input's, or the tombstone a filtered value became. */
    private byte[] key;

    private byte[] value;
    /** Sequence of the previous entry kept or seen for {@link #currentUserKey}. */
    private long lastSequenceForKey;

    private long dropped;

    /**
     * @param smallestSnapshot the oldest sequence a live reader may read at (the last sequence
     *                         when there is no snapshot)
     * @param newestSnapshot the newest live snapshot's sequence, or -1 when there is none
     * @param filter drops dead values, or null
     */
    public CompactionIterator(
            InternalIterator input,
            long smallestSnapshot,
            long newestSnapshot,
            Compaction compaction,
            CompactionFilter filter) {
        this.input = input;
        this.smallestSnapshot = smallestSnapshot;
        this.newestSnapshot = newestSnapshot;
        this.compaction = compaction;
        this.filter = filter;
    }

    public boolean valid() {
        return input.valid();
    }

    /** Starts at the first entry: a compaction reads its inputs front to back, once. */
    public void seekToFirst() {
        input.seekToFirst();
        currentUserKey = null;
        skipDropped();
    }

    public void next() {
        input.next();
        skipDropped();
    }

    public byte[] key() {
        return key;
    }

    public byte[] value() {
        return value;
    }

    /** Entries dropped so far. */
    public long dropped() {
        return dropped;
    }

    private void skipDropped() {
        while (input.valid()) {
            key = input.key();
            value = null;
            boolean newest = currentUserKey == null || !InternalKey.sameUserKey(key, currentUserKey);
            if (newest) {
                currentUserKey = key;
                lastSequenceForKey = Long.MAX_VALUE;
            }
            long sequence = InternalKey.sequence(key);
            int type = InternalKey.type(key);
            if (newest && filter != null && type == ValueType.VALUE && sequence > newestSnapshot) {
                value = input.value();
                if (filter.shouldDrop(InternalKey.userKey(key), value)) {
                    key = InternalKey.encode(InternalKey.userKey(key), sequence, ValueType.DELETION);
                    value = EMPTY;
                    type = ValueType.DELETION;
                }
            }
            boolean drop = lastSequenceForKey <= smallestSnapshot
                    || (type == ValueType.DELETION
                            && sequence <= smallestSnapshot
                            && compaction.isBaseLevelForKey(InternalKey.userKey(key)));
            lastSequenceForKey = sequence;
            if (!drop) {
                if (value == null) {
                    value = input.value();
                }
                return;
            }
            dropped++;
            input.next();
        }
        key = null;
        value = null;
    }

    private static final byte[] EMPTY = new byte[0];

    @Override
    public void close() {
        input.close();
    }
}
