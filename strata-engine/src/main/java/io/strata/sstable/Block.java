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

    InternalIterator iterator() {
        return new Iter();
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

    /** Entries are compared with the internal-key order; index and data blocks both hold internal keys. */
    private final class Iter implements InternalIterator {
        private final int[] pos = new int[1];
        /** Offset of the current entry; restartsOffset when not valid. */
        private int current = restartsOffset;

        private int nextEntry;
        private byte[] key = new byte[0];
        private int valueOffset;
        private int valueLength;

        @Override
        public boolean valid() {
            return current < restartsOffset;
        }

        @Override
        public void seekToFirst() {
            seekToRestart(0);
            parseNext();
        }

        @Override
        public void seek(byte[] target) {
            // Last restart whose key is < target; the answer lies at or after it.
            int lo = 0;
            int hi = numRestarts - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                seekToRestart(mid);
                parseNext();
                if (!valid() || InternalKey.compare(key, target) < 0) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            seekToRestart(lo);
            while (parseNext() && InternalKey.compare(key, target) < 0) {
                // advance
            }
        }

        @Override
        public void next() {
            if (!valid()) {
                throw new IllegalStateException("next() on an invalid iterator");
            }
            parseNext();
        }

        @Override
        public byte[] key() {
            return key;
        }

        @Override
        public byte[] value() {
            return Arrays.copyOfRange(data, valueOffset, valueOffset + valueLength);
        }

        @Override
        public void close() {}

        private void seekToRestart(int i) {
            key = new byte[0];
            nextEntry = restartPoint(i);
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
                        where + ": bad entry at block offset " + nextEntry + ": " + e.getMessage(), e);
            }
            int p = pos[0];
            if (shared > key.length
                    || (long) p + nonShared + valueLen > restartsOffset
                    || shared + nonShared < InternalKey.TRAILER_SIZE) {
                current = restartsOffset;
                throw corrupt("bad entry at block offset " + nextEntry);
            }
            byte[] k = Arrays.copyOf(key, shared + nonShared);
            System.arraycopy(data, p, k, shared, nonShared);
            key = k;
            valueOffset = p + nonShared;
            valueLength = valueLen;
            nextEntry = valueOffset + valueLen;
            return true;
        }
    }
}
