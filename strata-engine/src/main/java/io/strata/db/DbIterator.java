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
        merged.seek(InternalKey.seekKey(from, sequence));
        findVisible(null);
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
        findVisible(key);
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
