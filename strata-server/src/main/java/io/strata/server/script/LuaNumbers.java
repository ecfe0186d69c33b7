package io.strata.server.script;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers as Lua 5.1 (Redis's Lua) shows and converts them, where luaj (Lua 5.2 in Java)
 * differs: a number as a string is C's {@code %.14g} (luaj prints a fraction with Java's float
 * formatting, 7 digits), and a number as a RESP integer is C's cast to long long, truncating
 * toward zero; a number passed to a command is Redis 7.2's shortest text.
 */
final class LuaNumbers {
    private LuaNumbers() {}

    /** C's {@code printf("%.14g", d)}, as Lua 5.1's tostring and lua_tolstring. */
    static String format(double d) {
        return format(d, 14);
    }

    /** C's {@code printf("%.<digits>g", d)}; Redis replies a double with 17 digits. */
    static String format(double d, int digits) {
        if (Double.isNaN(d)) {
            return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < Math.pow(10, digits)) {
            return Long.toString((long) d);
        }
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(digits, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= digits) {
            BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
            String e = Integer.toString(Math.abs(exponent));
            return mantissa.toPlainString() + (exponent < 0 ? "e-" : "e+") + (e.length() < 2 ? "0" + e : e);
        }
        return rounded.stripTrailingZeros().toPlainString();
    }

    /**
     * A number as Redis 7.2 passes it to a command from redis.call (fpconv_dtoa): the fewest
     * digits that read back as the same double, plain while the exponent is small, else as
     * {@code 1.5e-7} or {@code 1e+21}.
     */
    static String shortest(double d) {
        String sign = Double.doubleToRawLongBits(d) < 0 ? "-" : "";
        if (d == 0) {
            return sign + "0";
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return sign + (Double.isNaN(d) ? "nan" : "inf");
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int n = digits.length();
        int k = -exact.scale(); // the value is digits * 10^k
        int exp = Math.abs(k + n - 1);
        if (k >= 0 && exp < n + 7) {
            return sign + digits + "0".repeat(k);
        }
        if (k < 0 && (k > -7 || exp < 4)) {
            int point = n + k;
            return sign
                    + (point <= 0
                            ? "0." + "0".repeat(-point) + digits
                            : digits.substring(0, point) + "." + digits.substring(point));
        }
        String mantissa = n > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
        return sign + mantissa + (k + n - 1 < 0 ? "e-" : "e+") + exp;
    }

    /**
     * A Lua number as Redis replies it, C's {@code (long long)} cast: truncated toward zero; out
     * of range or NaN it is what x86-64's conversion gives, the smallest long.
     */
    static long toInteger(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }
}
