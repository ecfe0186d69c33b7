package io.strata.server;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Number parsing as strict as Redis's: no spaces, no '+', no leading zeros. */
final class Numbers {
    private Numbers() {}

    private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** A signed 64-bit decimal (Redis's string2ll), or {@link CommandError#NOT_INTEGER}. */
    static long parseLong(byte[] b) {
        return parseLong(b, 0, b.length);
    }

    static long parseLong(byte[] b, int off, int len) {
        if (len == 0 || len > 20) {
            throw CommandError.NOT_INTEGER;
        }
        int i = off;
        int end = off + len;
        boolean negative = false;
        if (b[i] == '-') {
            negative = true;
            i++;
            if (i == end) {
                throw CommandError.NOT_INTEGER;
            }
        }
        if (b[i] == '0') {
            if (end - i == 1 && !negative) {
                return 0;
            }
            throw CommandError.NOT_INTEGER;
        }
        long v = 0; // accumulated negatively, so Long.MIN_VALUE parses
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw CommandError.NOT_INTEGER;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                throw CommandError.NOT_INTEGER;
            }
            v = v * 10 - d;
            if (v > 0) {
                throw CommandError.NOT_INTEGER;
            }
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                throw CommandError.NOT_INTEGER;
            }
            return -v;
        }
        return v;
    }

    /** A finite double as Redis's strtold accepts one, or {@link CommandError#NOT_FLOAT}. */
    static double parseDouble(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII);
        if (b.length == 0 || b.length > 5120 || !FLOAT.matcher(s).matches()) {
            throw CommandError.NOT_FLOAT;
        }
        double d = new BigDecimal(s).doubleValue();
        if (Double.isInfinite(d)) {
            throw CommandError.NOT_FLOAT;
        }
        return d;
    }

    /** A finite double as Redis prints one (INCRBYFLOAT): the shortest text that reads back the same value. */
    static String formatDouble(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
}
