package io.strata.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * INFO errorstats: error replies counted by their code, the reply's first word (ERR, WRONGTYPE,
 * NOPERM, ...), as Redis counts them. A reply whose first 31 characters hold no space counts as
 * ERR, as in Redis. At most {@link #MAX_KINDS} codes are kept, as Redis 7.4 caps them: so a client
 * sending errors with made-up codes cannot grow the map; once full, a new code counts only in
 * total_error_replies. CONFIG RESETSTAT empties it.
 *
 * <p>Any thread counts and reads: a concurrent map of LongAdders (a reset that races a count may
 * keep the count; the cap may be passed by one code per racing thread).
 */
final class ErrorStats {
    static final int MAX_KINDS = 128;

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts one error reply of this text ("ERR ...", "NOPERM ..."). */
    void count(String reply) {
        String code = code(reply);
        LongAdder n = counts.get(code);
        if (n == null) {
            if (counts.size() >= MAX_KINDS) {
                return;
            }
            n = counts.computeIfAbsent(code, k -> new LongAdder());
        }
        n.increment();
    }

    /** The reply's code: its text up to the first space, if one is among its first 31 characters; else ERR. */
    static String code(String reply) {
        int space = reply.indexOf(' ');
        return space > 0 && space < 32 ? reply.substring(0, space) : "ERR";
    }

    /** The counts by code, sorted as Redis's radix tree lists them (byte order). */
    Map<String, Long> snapshot() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((code, n) -> sorted.put(code, n.sum()));
        return sorted;
    }

    void reset() {
        counts.clear();
    }
}
