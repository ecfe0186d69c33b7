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
        return new BlockHandle(offset(src, pos, src.length, where), size(src, pos, src.length, where));
    }

    /**
     * The offset of the handle encoded at {@code src[pos[0], end)}; {@code pos[0]} moves past
     * it, to where {@link #size} reads on. The two let a lookup decode a handle without making
     * one.
     */
    static long offset(byte[] src, int[] pos, int end, String where) {
        long offset = varint(src, pos, end, where);
        if (offset < 0) {
            throw new CorruptionException(where + ": malformed block handle");
        }
        return offset;
    }

    /** The size that follows the {@link #offset} read up to {@code pos[0]}, ending exactly at {@code end}. */
    static long size(byte[] src, int[] pos, int end, String where) {
        long size = varint(src, pos, end, where);
        if (size < 0 || pos[0] != end) {
            throw new CorruptionException(where + ": malformed block handle");
        }
        return size;
    }

    private static long varint(byte[] src, int[] pos, int end, String where) {
        try {
            return Coding.getVarint64(src, pos, end);
        } catch (CorruptionException e) {
            throw new CorruptionException(where + ": malformed block handle: " + e.getMessage(), e);
        }
    }
}
