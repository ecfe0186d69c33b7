package io.strata.server;

import io.strata.server.store.ValueCodec;

/**
 * Bit addressing as Redis's bitmaps use it: bit 0 is the most significant bit of byte 0, and
 * every bit past a string's end reads as 0. The array regions are {@code a[off, off + len)}.
 */
final class Bits {
    private Bits() {}

    /**
     * A bit offset argument: non-negative, and inside the largest string Strata stores (Redis
     * refuses offsets past its proto-max-bulk-len the same way; Strata's limit is {@link
     * ValueCodec#MAX_PAYLOAD}). With {@code width > 0} an offset {@code #n} means n * width.
     */
    static long offsetArg(byte[] arg, int width) {
        boolean scaled = width > 0 && arg.length > 0 && arg[0] == '#';
        long offset;
        try {
            offset = scaled ? Numbers.parseLong(arg, 1, arg.length - 1) : Numbers.parseLong(arg);
            if (scaled) {
                offset = Math.multiplyExact(offset, width);
            }
        } catch (CommandError | ArithmeticException e) {
            throw CommandError.BIT_OFFSET;
        }
        if (offset < 0 || (offset >>> 3) >= ValueCodec.MAX_PAYLOAD) {
            throw CommandError.BIT_OFFSET;
        }
        return offset;
    }

    static int get(byte[] a, int off, int len, long bit) {
        long index = bit >>> 3;
        if (index >= len) {
            return 0;
        }
        return (a[off + (int) index] >>> (7 - (int) (bit & 7))) & 1;
    }

    /** Sets one bit of a whole array (which must reach it). */
    static void set(byte[] a, long bit, int value) {
        int index = (int) (bit >>> 3);
        int mask = 1 << (7 - (int) (bit & 7));
        a[index] = (byte) (value != 0 ? a[index] | mask : a[index] & ~mask);
    }

    /** The unsigned value of {@code width} (1..64) bits from {@code bit} on, most significant first. */
    static long getField(byte[] a, int off, int len, long bit, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v = (v << 1) | get(a, off, len, bit + i);
        }
        return v;
    }

    /** Stores the low {@code width} bits of {@code value} from {@code bit} on, in a whole array that reaches them. */
    static void setField(byte[] a, long bit, int width, long value) {
        for (int i = 0; i < width; i++) {
            set(a, bit + i, (int) (value >>> (width - 1 - i)) & 1);
        }
    }

    /** The number of set bits in bits [first, last] (both inside the region). */
    static long count(byte[] a, int off, long first, long last) {
        long n = 0;
        long bit = first;
        while (bit <= last && (bit & 7) != 0) {
            n += get(a, off, Integer.MAX_VALUE, bit++);
        }
        while (bit + 7 <= last) {
            n += Integer.bitCount(a[off + (int) (bit >>> 3)] & 0xff);
            bit += 8;
        }
        while (bit <= last) {
            n += get(a, off, Integer.MAX_VALUE, bit++);
        }
        return n;
    }

    /** The first bit equal to {@code value} in bits [first, last] (inside the region), or -1. */
    static long find(byte[] a, int off, long first, long last, int value) {
        int skip = value == 0 ? 0xff : 0; // a byte with no bit of the value sought
        long bit = first;
        while (bit <= last) {
            if ((bit & 7) == 0 && bit + 7 <= last && (a[off + (int) (bit >>> 3)] & 0xff) == skip) {
                bit += 8;
            } else if (get(a, off, Integer.MAX_VALUE, bit) == value) {
                return bit;
            } else {
                bit++;
            }
        }
        return -1;
    }
}
