package io.strata.sstable;

import io.strata.CorruptionException;
import io.strata.util.Coding;

/** Where a block lives in a table file: its offset and the size of its contents (no trailer). */
record BlockHandle(long offset, long size) {
    /** Two varint64s at most. */
    static final int MAX_ENCODED_LENGTH = 20;

    byte[] encode() {
        byte[] buf = new byte[Coding.varintLength(offset) + Coding.varintLength(size)];
        Coding.putVarint64(buf, Coding.putVarint64(buf, 0, offset), size);
        return buf;
    }

    static BlockHandle decode(byte[] src, String where) {
        int[] pos = {0};
        long offset;
        long size;
        try {
            offset = Coding.getVarint64(src, pos, src.length);
            size = Coding.getVarint64(src, pos, src.length);
        } catch (CorruptionException e) {
            throw new CorruptionException(where + ": malformed block handle: " + e.getMessage(), e);
        }
        if (offset < 0 || size < 0 || pos[0] != src.length) {
            throw new CorruptionException(where + ": malformed block handle");
        }
        return new BlockHandle(offset, size);
    }
}
