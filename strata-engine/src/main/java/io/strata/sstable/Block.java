package io.strata.sstable;

import io.strata.CorruptionException;
import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.util.Coding;
import java.util.Arrays;

/**
 * A decoded, checksum-verified block (see {@link BlockBuilder}). Immutable and shared (the
 * block cache hands one block to many readers); each {@link #iterator()} is a cursor of its
 * own. Entry decoding is bounds-checked, so a block that passed its checksum but is malformed
 * raises {@link CorruptionException}, never an index error. Public only so that the block
 * cache can hold and weigh blocks; everything else is package-private.
 */
public final class Block {
    /** Rough bytes of the objects around the array: this block, its array header, its name. */
    private static final int OVERHEAD = 96;

    private final byte[] data;
    private final int restartsOffset;
    private final int numRestarts;
    private final String where;

    /**
     * @param data holds the block's contents in its first {@code length} bytes
     * @param where names the block in error messages, e.g. "000012.sst block at offset 4096"
     */
    Block(byte[] data, int length, String where) {
        this.data = data;
        this.where = where;
        if (length < 4) {
            throw corrupt("block too short");
        }
        long n = Coding.getFixed32(data, length - 4) & 0xffffffffL;
        long offset = length - 4 - 4 * n;
        if (n == 0 || offset < 0) {
            throw corrupt("bad restart count " + n);
        }
        this.numRestarts = (int) n;
        this.restartsOffset = (int) offset;
    }

    /** Approximate heap bytes this block keeps alive, for weighing it in a cache. */
    public int charge() {
        return data.length + OVERHEAD;
    }

    /** A cursor of its own over this block's entries, in internal-key order. */
    InternalIterator iterator() {
        return new Iter(new Cursor().reset(this));
    }

    private CorruptionException corrupt(String what) {
        return new CorruptionException(where + ": " + what);
    }

    private int restartPoint(int i) {
        int p = Coding.getFixed32(data, restartsOffset + 4 * i);
        if (p < 0 || p > restartsOffset) {
            throw corrupt("restart point " + i + " out of range");
        }
        return p;
    }

    /**
     * A position in one block, reusable across blocks ({@link #reset}): what a point lookup
     * needs without allocating. The current key is decoded into a buffer the cursor owns and
     * reuses (it grows to the longest key seen), and compared there, in place; the value stays
     * in the block's array. Entries are compared with the internal-key order (index and data
     * blocks both hold internal keys). Confined to one thread.
     */
    static final class Cursor {
        private final int[] pos = new int[1];
        private Block block;
        private byte[] data;
        private int restartsOffset;
        /** Offset of the current entry; restartsOffset when not valid. */
        private int current;

        private int nextEntry;
        private byte[] key = new byte[64];
        private int keyLength;
        private int valueOffset;
        private int valueLength;

        /** Puts this cursor on {@code b}, not valid until a seek. */
        Cursor reset(Block b) {
            block = b;
            data = b.data;
            restartsOffset = b.restartsOffset;
            current = restartsOffset;
            keyLength = 0;
            return this;
        }

        boolean valid() {
            return current < restartsOffset;
        }

        void seekToFirst() {
            seekToRestart(0);
            parseNext();
        }

        /** Moves to the first entry at or after {@code target}. */
        void seek(byte[] target) {
            // Last restart whose key is < target; the answer lies at or after it.
            int lo = 0;
            int hi = block.numRestarts - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                seekToRestart(mid);
                parseNext();
                if (!valid() || compareKey(target) < 0) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            seekToRestart(lo);
            while (parseNext() && compareKey(target) < 0) {
                // advance
            }
        }

        /** Moves to the last entry. */
        void seekToLast() {
            seekToRestart(block.numRestarts - 1);
            while (parseNext() && nextEntry < restartsOffset) {
                // advance
            }
        }

        void next() {
            if (!valid()) {
                throw new IllegalStateException("next() on an invalid iterator");
            }
            parseNext();
        }

        /**
         * Moves to the entry before the current one. Entries are prefix-compressed forwards, so
         * this decodes from the last restart point before the current entry up to the entry
         * before it, as LevelDB's block iterator does.
         */
        void prev() {
            if (!valid()) {
                throw new IllegalStateException("prev() on an invalid iterator");
            }
            int original = current;
            int restart = lastRestartBefore(original);
            if (restart < 0) {
                current = restartsOffset;
                keyLength = 0;
                return;
            }
            seekToRestart(restart);
            while (parseNext() && nextEntry < original) {
                // advance
            }
        }

        /** The last restart point that starts before block offset {@code offset}, or -1. */
        private int lastRestartBefore(int offset) {
            int lo = 0;
            int hi = block.numRestarts - 1;
            int found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (block.restartPoint(mid) < offset) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found;
        }

        /** The current key compared with the internal key {@code target}. */
        int compareKey(byte[] target) {
            return InternalKey.compare(key, 0, keyLength, target, 0, target.length);
        }

        /** Whether the current key carries the same user key as the internal key {@code ikey}. */
        boolean sameUserKey(byte[] ikey) {
            return InternalKey.sameUserKey(key, 0, keyLength, ikey);
        }

        /** The current key's trailer: (sequence << 8) | type. */
        long trailer() {
            return Coding.getFixed64(key, keyLength - InternalKey.TRAILER_SIZE);
        }

        byte[] key() {
            return Arrays.copyOf(key, keyLength);
        }

        byte[] value() {
            return Arrays.copyOfRange(data, valueOffset, valueOffset + valueLength);
        }

        /** The array holding the current value, at {@link #valueOffset} for {@link #valueLength} bytes. */
        byte[] valueArray() {
            return data;
        }

        int valueOffset() {
            return valueOffset;
        }

        int valueLength() {
            return valueLength;
        }

        private void seekToRestart(int i) {
            keyLength = 0;
            nextEntry = block.restartPoint(i);
        }

        /** Decodes the entry at nextEntry; returns false (and becomes invalid) at the end. */
        private boolean parseNext() {
            if (nextEntry >= restartsOffset) {
                current = restartsOffset;
                return false;
            }
            current = nextEntry;
            pos[0] = current;
            int shared;
            int nonShared;
            int valueLen;
            try {
                shared = Coding.getVarint32(data, pos, restartsOffset);
                nonShared = Coding.getVarint32(data, pos, restartsOffset);
                valueLen = Coding.getVarint32(data, pos, restartsOffset);
            } catch (CorruptionException e) {
                // Coding's message does not say where: name the block and entry.
                current = restartsOffset;
                throw new CorruptionException(
                        block.where + ": bad entry at block offset " + nextEntry + ": " + e.getMessage(), e);
            }
            int p = pos[0];
            if (shared > keyLength
                    || (long) p + nonShared + valueLen > restartsOffset
                    || shared + nonShared < InternalKey.TRAILER_SIZE) {
                current = restartsOffset;
                throw block.corrupt("bad entry at block offset " + nextEntry);
            }
            int length = shared + nonShared;
            if (length > key.length) {
                key = Arrays.copyOf(key, Math.max(length, 2 * key.length));
            }
            System.arraycopy(data, p, key, shared, nonShared);
            keyLength = length;
            valueOffset = p + nonShared;
            valueLength = valueLen;
            nextEntry = valueOffset + valueLen;
            return true;
        }
    }

    /**
     * The block's entries as an {@link InternalIterator}. {@link #key()} hands out an array of
     * the iterator's own, made once per entry and only when asked for: callers keep keys across
     * moves (a merging iterator's heap does).
     */
    private static final class Iter implements InternalIterator {
        private final Cursor cursor;
        private byte[] key;

        Iter(Cursor cursor) {
            this.cursor = cursor;
        }

        @Override
        public boolean valid() {
            return cursor.valid();
        }

        @Override
        public void seekToFirst() {
            key = null;
            cursor.seekToFirst();
        }

        @Override
        public void seek(byte[] target) {
            key = null;
            cursor.seek(target);
        }

        @Override
        public void seekToLast() {
            key = null;
            cursor.seekToLast();
        }

        @Override
        public void next() {
            key = null;
            cursor.next();
        }

        @Override
        public void prev() {
            key = null;
            cursor.prev();
        }

        @Override
        public byte[] key() {
            if (key == null) {
                key = cursor.key();
            }
            return key;
        }

        @Override
        public byte[] value() {
            return cursor.value();
        }

        @Override
        public void close() {}
    }
}
