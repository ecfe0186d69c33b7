package io.strata.server;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * INCRBYFLOAT's arithmetic as Redis does it, in C's {@code long double} of x86-64 (the x87 80-bit
 * format): a 64-bit significand, subnormal below 2^-16382 down to 2^-16445, and overflow at
 * 2^16384. A number is read as Redis's string2ld reads one (strtold, which rounds to the nearest
 * long double), added with one rounding, and printed as Redis's ld2string prints one for people
 * ({@code %.17Lf}, then the trailing zeros and point dropped). So 0.1 plus 0.2 is "0.3", as in
 * Redis, not the double sum's 0.30000000000000004. Values are held as exact BigDecimals of the
 * binary fractions a long double holds.
 */
final class LongDouble {
    private LongDouble() {}

    private static final int SIGNIFICAND_BITS = 64;
    /** The weight of the lowest bit of the smallest subnormal. */
    private static final int MIN_LSB = -16445;
    /** A magnitude of 2^16384 or more is an overflow. */
    private static final int OVERFLOW_LOG2 = 16384;
    /** Digits after the point Redis prints (ld2string's LD_STR_HUMAN). */
    private static final int PRINTED_DECIMALS = 17;
    /** Redis's MAX_LONG_DOUBLE_CHARS: longer input is no number. */
    private static final int MAX_CHARS = 5 * 1024;

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    /** What strtold reads as an infinity, which string2ld accepts (NaN it refuses). */
    private static final Pattern INFINITY = Pattern.compile("(?i)[+-]?inf(inity)?");

    /**
     * The long double {@code b} reads as, or null for an infinity (which INCRBYFLOAT then refuses
     * as its result); anything else, NaN, and a decimal that overflows the long double range or is
     * not zero but rounds to zero are {@link CommandError#NOT_FLOAT}, as strtold's ERANGE is to
     * Redis.
     */
    static BigDecimal parse(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII);
        if (INFINITY.matcher(s).matches()) {
            return null;
        }
        if (b.length == 0 || b.length >= MAX_CHARS || !DECIMAL.matcher(s).matches()) {
            throw CommandError.NOT_FLOAT;
        }
        BigDecimal exact = new BigDecimal(s);
        BigDecimal v = round(exact);
        if (v == null || (v.signum() == 0 && exact.signum() != 0)) {
            throw CommandError.NOT_FLOAT;
        }
        return v;
    }

    /** {@code a + b} rounded to a long double; null if it overflows (an infinity). */
    static BigDecimal add(BigDecimal a, BigDecimal b) {
        return round(a.add(b));
    }

    /** {@code v} as Redis prints a long double: 17 decimals, without trailing zeros, never "-0". */
    static String format(BigDecimal v) {
        String s = v.setScale(PRINTED_DECIMALS, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }

    /** The long double nearest {@code v} (ties to even), exactly; null if it overflows. */
    static BigDecimal round(BigDecimal v) {
        if (v.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigInteger unscaled = v.unscaledValue().abs();
        BigInteger num = v.scale() <= 0 ? unscaled.multiply(BigInteger.TEN.pow(-v.scale())) : unscaled;
        BigInteger den = v.scale() <= 0 ? BigInteger.ONE : BigInteger.TEN.pow(v.scale());
        // floor(log2(num / den)): num / den lies in [2^(log2 - 1), 2^(log2 + 1)).
        int log2 = num.bitLength() - den.bitLength();
        if (scaled(num, den, log2) < 0) {
            log2--;
        }
        if (log2 >= OVERFLOW_LOG2) {
            return null;
        }
        int lsb = Math.max(log2 - (SIGNIFICAND_BITS - 1), MIN_LSB);
        BigInteger n = lsb >= 0 ? num : num.shiftLeft(-lsb);
        BigInteger d = lsb >= 0 ? den.shiftLeft(lsb) : den;
        BigInteger[] qr = n.divideAndRemainder(d);
        BigInteger m = qr[0];
        int half = qr[1].shiftLeft(1).compareTo(d);
        if (half > 0 || (half == 0 && m.testBit(0))) {
            m = m.add(BigInteger.ONE);
        }
        if (m.bitLength() + lsb > OVERFLOW_LOG2) {
            return null;
        }
        BigDecimal r = lsb >= 0
                ? new BigDecimal(m.shiftLeft(lsb))
                : new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-lsb)), -lsb);
        return v.signum() < 0 ? r.negate() : r;
    }

    /** {@code num} compared with {@code den * 2^shift}. */
    private static int scaled(BigInteger num, BigInteger den, int shift) {
        return shift >= 0
                ? num.compareTo(den.shiftLeft(shift))
                : num.shiftLeft(-shift).compareTo(den);
    }
}
