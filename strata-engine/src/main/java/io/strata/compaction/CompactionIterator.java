package io.strata.compaction;

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
 * Everything else is kept, so a reader at any live snapshot finds what it found before.
 */
public final class CompactionIterator implements InternalIterator {
    private final InternalIterator input;
    private final long smallestSnapshot;
    private final Compaction compaction;
    private byte[] currentUserKey;
    /** Sequence of the previous entry kept or seen for {@link #currentUserKey}. */
    private long lastSequenceForKey;
    private long dropped;

    public CompactionIterator(InternalIterator input, long smallestSnapshot, Compaction compaction) {
        this.input = input;
        this.smallestSnapshot = smallestSnapshot;
        this.compaction = compaction;
    }

    @Override
    public boolean valid() {
        return input.valid();
    }

    @Override
    public void seekToFirst() {
        input.seekToFirst();
        currentUserKey = null;
        skipDropped();
    }

    /** Compactions read their inputs front to back only. */
    @Override
    public void seek(byte[] target) {
        throw new UnsupportedOperationException("a compaction iterator only moves forward from the first entry");
    }

    @Override
    public void next() {
        input.next();
        skipDropped();
    }

    @Override
    public byte[] key() {
        return input.key();
    }

    @Override
    public byte[] value() {
        return input.value();
    }

    /** Entries dropped so far. */
    public long dropped() {
        return dropped;
    }

    private void skipDropped() {
        while (input.valid()) {
            byte[] key = input.key();
            if (currentUserKey == null || !InternalKey.sameUserKey(key, currentUserKey)) {
                currentUserKey = key;
                lastSequenceForKey = Long.MAX_VALUE;
            }
            long sequence = InternalKey.sequence(key);
            boolean drop = lastSequenceForKey <= smallestSnapshot
                    || (InternalKey.type(key) == ValueType.DELETION && sequence <= smallestSnapshot
                        && compaction.isBaseLevelForKey(InternalKey.userKey(key)));
            lastSequenceForKey = sequence;
            if (!drop) {
                return;
            }
            dropped++;
            input.next();
        }
    }

    @Override
    public void close() {
        input.close();
    }
}
