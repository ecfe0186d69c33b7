package io.strata.key;

import io.strata.util.Coding;
import java.util.Arrays;
import java.util.Comparator;

/**
 * An internal key is the user key followed by an 8-byte little-endian trailer
 * {@code (sequence << 8) | type}. Internal keys order by user key ascending (unsigned bytes),
 * then by trailer descending, so the newest version of a key comes first.
 *
 * <p>Every memtable, SSTable and iterator below the public API works on encoded internal
 * keys ({@code byte[]}), so one comparator serves them all.
 */
public final class InternalKey {
    private InternalKey() {}

    public static final int TRAILER_SIZE = 8;
    /** Sequences fit in 56 bits. */
    public static final long MAX_SEQUENCE = (1L << 56) - 1;

    public static final Comparator<byte[]> COMPARATOR = InternalKey::compare;

    public static byte[] encode(byte[] userKey, long sequence, int type) {
        byte[] ikey = new byte[userKey.length + TRAILER_SIZE];
        System.arraycopy(userKey, 0, ikey, 0, userKey.length);
        Coding.putFixed64(ikey, userKey.length, (sequence << 8) | type);
        return ikey;
    }

    /** The key that a seek for {@code userKey} as of {@code sequence} starts from. */
    public static byte[] seekKey(byte[] userKey, long sequence) {
        return encode(userKey, sequence, ValueType.FOR_SEEK);
    }

    public static int userKeyLength(byte[] ikey) {
        return ikey.length - TRAILER_SIZE;
    }

    public static byte[] userKey(byte[] ikey) {
        return Arrays.copyOf(ikey, ikey.length - TRAILER_SIZE);
    }

    public static long trailer(byte[] ikey) {
        return Coding.getFixed64(ikey, ikey.length - TRAILER_SIZE);
    }

    public static long sequence(byte[] ikey) {
        return trailer(ikey) >>> 8;
    }

    public static int type(byte[] ikey) {
        return (int) (trailer(ikey) & 0xff);
    }

    public static int compare(byte[] a, byte[] b) {
        return compare(a, 0, a.length, b, 0, b.length);
    }

    /** Compares the internal keys {@code a[aOff, aOff + aLen)} and {@code b[bOff, bOff + bLen)}, allocating nothing. */
    public static int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        int aTrailer = aOff + aLen - TRAILER_SIZE;
        int bTrailer = bOff + bLen - TRAILER_SIZE;
        int c = Arrays.compareUnsigned(a, aOff, aTrailer, b, bOff, bTrailer);
        if (c != 0) {
            return c;
        }
        return Long.compareUnsigned(Coding.getFixed64(b, bTrailer), Coding.getFixed64(a, aTrailer));
    }

    /** Compares the user-key part of {@code ikey} with a plain user key. */
    public static int compareUserKey(byte[] ikey, byte[] userKey) {
        return Arrays.compareUnsigned(ikey, 0, ikey.length - TRAILER_SIZE, userKey, 0, userKey.length);
    }

    /** Compares the user-key parts of two internal keys. */
    public static int compareUserKeys(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, 0, a.length - TRAILER_SIZE, b, 0, b.length - TRAILER_SIZE);
    }

    /** Whether two internal keys carry the same user key. */
    public static boolean sameUserKey(byte[] a, byte[] b) {
        return sameUserKey(a, 0, a.length, b);
    }

    /** Whether the internal key {@code a[aOff, aOff + aLen)} carries the same user key as {@code b}. */
    public static boolean sameUserKey(byte[] a, int aOff, int aLen, byte[] b) {
        return Arrays.equals(a, aOff, aOff + aLen - TRAILER_SIZE, b, 0, b.length - TRAILER_SIZE);
    }
}
