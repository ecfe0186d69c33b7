package io.strata.util;

import io.strata.CorruptionException;

/**
 * Little-endian fixed-width integers and LEB128 varints, the encodings every on-disk format
 * in Strata is built from.
 */
public final class Coding {
    private Coding() {}

    public static void putFixed32(byte[] dst, int off, int v) {
        dst[off] = (byte) v;
        dst[off + 1] = (byte) (v >>> 8);
        dst[off + 2] = (byte) (v >>> 16);
        dst[off + 3] = (byte) (v >>> 24);
    }

    public static int getFixed32(byte[] src, int off) {
        return (src[off] & 0xff)
                | (src[off + 1] & 0xff) << 8
                | (src[off + 2] & 0xff) << 16
                | (src[off + 3] & 0xff) << 24;
    }

    public static void putFixed64(byte[] dst, int off, long v) {
        putFixed32(dst, off, (int) v);
        putFixed32(dst, off + 4, (int) (v >>> 32));
    }

    public static long getFixed64(byte[] src, int off) {
        return (getFixed32(src, off) & 0xffffffffL) | ((long) getFixed32(src, off + 4) << 32);
    }

    /** Number of bytes {@link #putVarint64} writes for {@code v}. */
    public static int varintLength(long v) {
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    /** Writes {@code v} at {@code off}; returns the offset just past it. */
    public static int putVarint64(byte[] dst, int off, long v) {
        while ((v & ~0x7fL) != 0) {
            dst[off++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        dst[off++] = (byte) v;
        return off;
    }

    /**
     * Decodes a varint at {@code pos[0]} that must end before {@code limit}, advancing
     * {@code pos[0]}. Throws {@link CorruptionException} for a truncated or overlong varint.
     */
    public static long getVarint64(byte[] src, int[] pos, int limit) {
        long result = 0;
        int p = pos[0];
        for (int shift = 0; shift <= 63; shift += 7) {
            if (p >= limit) {
                throw new CorruptionException("truncated varint");
            }
            int b = src[p++] & 0xff;
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                pos[0] = p;
                return result;
            }
        }
        throw new CorruptionException("varint longer than 10 bytes");
    }

    /**
     * Decodes a varint32 at {@code off} that this process wrote itself (into memory it owns), so
     * it is not checked; its length is {@link #varintLength} of the result.
     */
    public static int getTrustedVarint32(byte[] src, int off) {
        int result = 0;
        for (int shift = 0; ; shift += 7) {
            int b = src[off++];
            result |= (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
    }

    /** A varint that must fit a non-negative int (lengths, counts). */
    public static int getVarint32(byte[] src, int[] pos, int limit) {
        long v = getVarint64(src, pos, limit);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new CorruptionException("varint " + v + " out of range for a length");
        }
        return (int) v;
    }
}
