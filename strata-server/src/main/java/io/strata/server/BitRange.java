package io.strata.server;

/**
 * The bits a BITCOUNT or BITPOS range names, after Redis's rules: start and end count bytes (or
 * bits with BIT), a negative one counts from the end, both are clamped to the string, and the
 * range is inclusive.
 *
 * @param first the first bit in the range
 * @param last the last bit in the range (at least {@code first})
 */
record BitRange(long first, long last) {
    /** The range, or null if it holds no bit of a string of {@code length} bytes. */
    static BitRange of(long start, long end, long length, boolean bitUnit) {
        long total = bitUnit ? length << 3 : length;
        if (start < 0) {
            start = Math.max(0, total + start);
        }
        if (end < 0) {
            end = Math.max(0, total + end);
        }
        end = Math.min(end, total - 1);
        if (start > end) {
            return null;
        }
        return bitUnit ? new BitRange(start, end) : new BitRange(start << 3, (end << 3) + 7);
    }

    /** A BIT or BYTE argument: whether it is BIT. */
    static boolean bitUnit(Request r, int i) {
        if (r.is(i, "BIT")) {
            return true;
        }
        if (r.is(i, "BYTE")) {
            return false;
        }
        throw CommandError.SYNTAX;
    }
}
