package io.strata.server;

import io.strata.StrataIterator;
import io.strata.server.store.Keyspace;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * RANDOMKEY: a live key picked at a random point of the key space, or nil.
 *
 * <p>The engine keeps keys sorted and counts none, so a key cannot be drawn by index. Instead:
 * the first key and (by binary search with seeks, 8 per byte) the first {@link #PREFIX} bytes of
 * the last key bound the key space; a random point between them, read as big-endian numbers, is
 * sought, and the first live key at or after it (wrapping to the first key) is the answer. A
 * point looks at most {@link #STEPS} entries, and at most {@link #POINTS} points are tried, so
 * the command ends after a bounded number of seeks and entries however many keys have expired;
 * if every entry it looked at had expired it answers nil although a live key may exist. The
 * draw is uniform over the key space, not over the keys: a key after a wide gap is likelier.
 * Half the time the live key after the one found is the answer (wrapping to the first), so the
 * first key, which has no gap before it, is drawn too (as often as the second key's gap).
 */
final class RandomKey {
    private RandomKey() {}

    static final int PREFIX = 8;
    static final int POINTS = 8;
    static final int STEPS = 32;

    static void run(Request r) {
        long now = r.ks.now();
        try (StrataIterator it = r.ks.iterator(null)) {
            it.seekToFirst();
            if (!it.valid()) {
                r.out.nullBulk();
                return;
            }
            long low = number(it.key());
            long high = number(lastPrefix(it));
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int point = 0; point < POINTS; point++) {
                it.seek(bytes(low + offset(random, high - low)));
                byte[] found = null;
                boolean takeNext = random.nextBoolean();
                for (int step = 0; step < STEPS; step++) {
                    if (!it.valid()) {
                        it.seekToFirst();
                    }
                    if (Keyspace.decodeLive(it.value(), now) != null) {
                        if (found != null || !takeNext) {
                            r.out.bulk(it.key());
                            return;
                        }
                        found = it.key();
                    }
                    it.next();
                }
                if (found != null) {
                    r.out.bulk(found);
                    return;
                }
            }
            r.out.nullBulk();
        }
    }

    /** A random number in [0, span], all unsigned (a little biased to small ones: it does not matter here). */
    private static long offset(ThreadLocalRandom random, long span) {
        return span == -1 ? random.nextLong() : Long.remainderUnsigned(random.nextLong(), span + 1);
    }

    /** The largest {@link #PREFIX}-byte string some key is at or after (the last key's first bytes). */
    private static byte[] lastPrefix(StrataIterator it) {
        byte[] prefix = new byte[0];
        while (prefix.length < PREFIX) {
            byte[] probe = Arrays.copyOf(prefix, prefix.length + 1);
            int lo = -1; // the largest byte known to have a key at or after prefix + byte
            int hi = 256; // the smallest byte known to have none
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                probe[prefix.length] = (byte) mid;
                it.seek(probe);
                if (it.valid()) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            if (lo < 0) {
                break; // the last key is the prefix itself
            }
            probe[prefix.length] = (byte) lo;
            prefix = probe;
        }
        return prefix;
    }

    /** The first {@link #PREFIX} bytes of a key as an unsigned big-endian number (zero-padded). */
    private static long number(byte[] key) {
        long n = 0;
        for (int i = 0; i < PREFIX; i++) {
            n = (n << 8) | (i < key.length ? key[i] & 0xff : 0);
        }
        return n;
    }

    private static byte[] bytes(long n) {
        byte[] b = new byte[PREFIX];
        for (int i = PREFIX - 1; i >= 0; i--) {
            b[i] = (byte) n;
            n >>>= 8;
        }
        return b;
    }
}
