package io.strata.db;

import io.strata.StrataIterator;
import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.version.Version;
import java.util.Arrays;

/**
 * The user's view of a merged internal stream: for each user key, the newest entry at or
 * below the read sequence; keys whose newest such entry is a tombstone are skipped, and so
 * is everything outside [lower, upper).
 *
 * <p>Where the merged stream stands depends on the direction of the last move (LevelDB's
 * {@code db_iter.cc}). Moving forwards, it is at the entry {@link #key} came from: the newest
 * visible one, after the key's newer (invisible) entries. Moving backwards it has to pass all of a
 * key's entries, oldest first, to learn which is the newest visible one, so it stands before
 * them: at an entry of a smaller user key, or not valid; {@link #key} and {@link #value} are
 * copies kept meanwhile. A move in the other direction first puts the stream back.
 */
final class DbIterator implements StrataIterator {
    private final InternalIterator merged;
    private final long sequence;
    private final byte[] lower;
    private final byte[] upper;
    private final DbImpl db;
    /** Referenced until close, so the files being read stay. */
    private final Version version;

    private byte[] key;
    private byte[] value;
    /** Whether the last positioning moved backwards (see the class comment). */
    private boolean reverse;

    private boolean closed;

    DbIterator(InternalIterator merged, long sequence, byte[] lower, byte[] upper, DbImpl db, Version version) {
        this.merged = merged;
        this.sequence = sequence;
        this.lower = lower;
        this.upper = upper;
        this.db = db;
        this.version = version;
    }

    @Override
    public void seekToFirst() {
        checkUsable();
        reverse = false;
        if (lower != null) {
            merged.seek(InternalKey.seekKey(lower, sequence));
        } else {
            merged.seekToFirst();
        }
        findVisible(null);
    }

    @Override
    public void seek(byte[] target) {
        checkUsable();
        if (target == null) {
            throw new IllegalArgumentException("seek target must not be null");
        }
        byte[] from = lower != null && Arrays.compareUnsigned(target, lower) < 0 ? lower : target;
        reverse = false;
        merged.seek(InternalKey.seekKey(from, sequence));
        findVisible(null);
    }

    @Override
    public void seekToLast() {
        checkUsable();
        reverse = true;
        if (upper != null) {
            // Before the first entry of the bound, the newest (highest sequence) of its entries.
            merged.seek(InternalKey.seekKey(upper, InternalKey.MAX_SEQUENCE));
            if (merged.valid()) {
                merged.prev();
            } else {
                merged.seekToLast();
            }
        } else {
            merged.seekToLast();
        }
        findPreviousVisible();
    }

    @Override
    public void seekForPrev(byte[] target) {
        seek(target);
        if (!valid()) {
            seekToLast();
        } else if (!Arrays.equals(key, target)) {
            prev();
        }
    }

    @Override
    public boolean valid() {
        checkUsable();
        return key != null;
    }

    @Override
    public byte[] key() {
        checkPositioned();
        return key.clone();
    }

    @Override
    public byte[] value() {
        checkPositioned();
        return value.clone();
    }

    @Override
    public void next() {
        checkPositioned();
        if (reverse) {
            reverse = false;
            // The stream stands before the key's entries: step onto the first of them.
            if (merged.valid()) {
                merged.next();
            } else {
                merged.seekToFirst();
            }
        }
        findVisible(key);
    }

    @Override
    public void prev() {
        checkPositioned();
        if (!reverse) {
            reverse = true;
            // The stream stands on the key's newest visible entry: before it come only the key's
            // newer entries, which the walk back passes as invisible.
            merged.prev();
        }
        findPreviousVisible();
    }

    /** Advances to the next visible user key after {@code skip} (or at the current position). */
    private void findVisible(byte[] skip) {
        while (merged.valid()) {
            byte[] ikey = merged.key();
            if (InternalKey.sequence(ikey) > sequence
                    || (skip != null && InternalKey.compareUserKey(ikey, skip) == 0)) {
                merged.next();
                continue;
            }
            if (upper != null && InternalKey.compareUserKey(ikey, upper) >= 0) {
                break;
            }
            byte[] userKey = InternalKey.userKey(ikey);
            if (InternalKey.type(ikey) == ValueType.DELETION) {
                skip = userKey;
                merged.next();
                continue;
            }
            key = userKey;
            value = merged.value();
            return;
        }
        key = null;
        value = null;
    }

    /**
     * Moves back to the previous visible user key: walks back over its entries, oldest first, so
     * the last visible one seen is its newest, and stops at the first visible entry of a smaller
     * user key once that newest was a value (a key whose newest is a tombstone is passed), or
     * below the lower bound.
     */
    private void findPreviousVisible() {
        int type = ValueType.DELETION;
        byte[] savedKey = null;
        byte[] savedValue = null;
        while (merged.valid()) {
            byte[] ikey = merged.key();
            if (lower != null && InternalKey.compareUserKey(ikey, lower) < 0) {
                break;
            }
            if (InternalKey.sequence(ikey) <= sequence) {
                if (type != ValueType.DELETION && InternalKey.compareUserKey(ikey, savedKey) < 0) {
                    break;
                }
                type = InternalKey.type(ikey);
                if (type == ValueType.DELETION) {
                    savedKey = null;
                    savedValue = null;
                } else {
                    savedKey = InternalKey.userKey(ikey);
                    savedValue = merged.value();
                }
            }
            merged.prev();
        }
        key = savedKey;
        value = savedValue;
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("iterator is closed");
        }
        db.checkOpen();
    }

    private void checkPositioned() {
        checkUsable();
        if (key == null) {
            throw new IllegalStateException("iterator is not positioned at an entry");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            merged.close();
            version.unref();
        }
    }
}
