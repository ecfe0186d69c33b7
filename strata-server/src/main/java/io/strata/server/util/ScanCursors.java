package io.strata.server.util;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * SCAN cursors. A cursor names the next key to return, so a scan walks the keys in order: a
 * full scan returns every key that existed for its whole duration (keys are never reordered,
 * unlike a rehashing hash table).
 *
 * <p>Every cursor is a decimal number from 0 to 2^63 - 1, because clients parse it into a
 * signed or unsigned 64-bit integer (redis-cli --scan, hiredis, go-redis, StackExchange.Redis).
 * "0" starts and ends a scan, as in Redis. Two disjoint ranges name the key:
 * <ul>
 *   <li><b>Direct</b>, for keys of up to {@value #DIRECT_MAX_KEY} bytes: the unsigned integer
 *       whose big-endian bytes are {@code 0x01} followed by the key, below 2^57. Stateless: it
 *       survives restarts and can be used any number of times.
 *   <li><b>Table</b>, for longer keys: a random id in [2^62, 2^63) that this object maps to the
 *       key. Ids come from a {@link SecureRandom}, so one client cannot guess another's. An id
 *       is removed when a SCAN uses it (the SCAN returns a new cursor), so the table holds one
 *       entry per scan in progress, not one per step. Limits: an id can be used once; it
 *       expires {@value #EXPIRY_MINUTES} minutes after it was issued; the table holds at most
 *       {@value #MAX_TABLE_BYTES} bytes of keys, each counted with {@value #ENTRY_OVERHEAD}
 *       bytes of overhead (about 200,000 pending scans over keys of under 40 bytes), past
 *       which Caffeine evicts entries; ids do not survive a restart. A cursor that is unknown
 *       for any of these reasons gets "ERR invalid cursor" and the client must start again.
 * </ul>
 * Thread-safe: the table is a Caffeine cache, {@link SecureRandom} is thread-safe.
 */
public final class ScanCursors {
    public static final String START = "0";
    /** Longest key with a direct cursor: 0x01 and 7 bytes make 57 bits. */
    static final int DIRECT_MAX_KEY = 7;
    /** Table ids are at least this; direct cursors are below 2^57. */
    static final long TABLE_MIN_ID = 1L << 62;

    static final long MAX_TABLE_BYTES = 32L * 1024 * 1024;
    static final int ENTRY_OVERHEAD = 128;
    static final int EXPIRY_MINUTES = 10;

    /** Thread-safe: Caffeine's cache. */
    private final Cache<Long, byte[]> table;
    /** Thread-safe: SecureRandom. */
    private final SecureRandom random = new SecureRandom();

    public ScanCursors() {
        this(MAX_TABLE_BYTES, Duration.ofMinutes(EXPIRY_MINUTES), Ticker.systemTicker());
    }

    /** For tests: another bound, expiry and clock. */
    ScanCursors(long maxTableBytes, Duration expiry, Ticker ticker) {
        this.table = Caffeine.newBuilder()
                .maximumWeight(maxTableBytes)
                .weigher((Long id, byte[] key) -> ENTRY_OVERHEAD + key.length)
                .expireAfterWrite(expiry)
                .ticker(ticker)
                .build();
    }

    /** The cursor naming {@code key} (not empty) as the next key of a scan. */
    public String encode(byte[] key) {
        if (key.length <= DIRECT_MAX_KEY) {
            long v = 1;
            for (byte b : key) {
                v = (v << 8) | (b & 0xff);
            }
            return Long.toString(v);
        }
        while (true) {
            long id = TABLE_MIN_ID | (random.nextLong() >>> 2);
            if (table.asMap().putIfAbsent(id, key) == null) {
                return Long.toString(id);
            }
        }
    }

    /**
     * The key a cursor names: empty for "0", null if the cursor is not one this server issued
     * (or its table entry was used, expired or evicted). Using a table id removes it.
     */
    public byte[] decode(String cursor) {
        if (cursor.equals(START)) {
            return new byte[0];
        }
        long v = parse(cursor);
        if (v >= TABLE_MIN_ID) {
            return table.asMap().remove(v);
        }
        int bits = 64 - Long.numberOfLeadingZeros(v);
        if (v <= 0 || bits % 8 != 1 || bits == 1) {
            return null; // not 0x01 followed by at least one byte
        }
        byte[] key = new byte[bits / 8];
        for (int i = key.length - 1; i >= 0; i--, v >>>= 8) {
            key[i] = (byte) v;
        }
        return key;
    }

    /** Pending table entries (tests). */
    long tableSize() {
        table.cleanUp();
        return table.estimatedSize();
    }

    /** A canonical decimal in 1..2^63-1, or -1. */
    private static long parse(String s) {
        int n = s.length();
        if (n == 0 || n > 19 || s.charAt(0) == '0') {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1; // above 2^63 - 1
        }
    }
}
