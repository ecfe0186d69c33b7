package io.strata.server;

/**
 * What BITFIELD's SET and INCRBY store when a result does not fit its field: OVERFLOW WRAP
 * (keep the low bits, two's complement for signed fields), SAT (the nearest limit) or FAIL
 * (store nothing, reply nil).
 */
enum BitfieldOverflow {
    WRAP,
    SAT,
    FAIL;

    /**
     * The field value for {@code value + incr} in a field of {@code width} bits, or null under
     * FAIL when it does not fit. A SET is an increment of 0; an unsigned SET reads its value as
     * unsigned 64 bits, as Redis does (so a negative one is too large, and saturates to the maximum).
     */
    Long apply(long value, long incr, int width, boolean signed) {
        long max = signed ? (width == 64 ? Long.MAX_VALUE : (1L << (width - 1)) - 1) : (1L << width) - 1;
        long min = signed ? -max - 1 : 0;
        int direction; // 1: above max, -1: below min
        if (!signed && value < 0) {
            direction = 1;
        } else {
            try {
                long sum = Math.addExact(value, incr);
                direction = sum > max ? 1 : sum < min ? -1 : 0;
            } catch (ArithmeticException e) {
                direction = incr > 0 ? 1 : -1;
            }
        }
        if (direction == 0) {
            return value + incr;
        }
        return switch (this) {
            case WRAP -> wrap(value + incr, width, signed);
            case SAT -> direction > 0 ? max : min;
            case FAIL -> null;
        };
    }

    /** The low {@code width} bits of {@code v}, sign-extended for a signed field. */
    static long wrap(long v, int width, boolean signed) {
        if (width == 64) {
            return v;
        }
        return signed ? (v << (64 - width)) >> (64 - width) : v & ((1L << width) - 1);
    }
}
