package io.strata.server;

/** Number parsing as strict as Redis's: no spaces, no '+', no leading zeros. */
final class Numbers {
    private Numbers() {}

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
}
