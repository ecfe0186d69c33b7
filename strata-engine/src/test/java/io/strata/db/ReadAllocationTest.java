package io.strata.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.Compression;
import io.strata.Options;
import io.strata.StrataDb;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A get that finds its key in a cached block, or in the memtable, allocates its seek key and the
 * value it returns, and nothing else (issue 11's bound: under 64 bytes besides the value): block
 * cursors are reused per thread and compare keys in place, the caches are probed with a reused
 * key, and the memtable hands out the value alone.
 * Bytes are counted exactly by the JVM for this thread ({@code getThreadAllocatedBytes}); the
 * best of a few rounds is taken, so that code the JIT has not compiled yet does not count.
 */
class ReadAllocationTest {
    private static final int KEYS = 50_000;
    private static final int GETS = 50_000;
    private static final int VALUE_BYTES = 100;

    @TempDir
    Path dir;

    @Test
    void getOfACachedKeyAllocatesOnlyItsSeekKeyAndValue() {
        check(true);
    }

    /** The same for a key the memtable holds (no flush): a copy of the value, no entry object, no key copy. */
    @Test
    void getOfAKeyInTheMemtableAllocatesOnlyItsSeekKeyAndValue() {
        check(false);
    }

    private void check(boolean inTables) {
        long seed = 20261203L;
        System.out.println("ReadAllocationTest seed " + seed);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[][] keys = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = String.format("%016d", i).getBytes(StandardCharsets.UTF_8);
        }
        try (StrataDb db =
                StrataDb.open(dir, new Options().compression(Compression.NONE).blockCacheSize(64 << 20))) {
            for (byte[] k : keys) {
                db.put(k, new byte[VALUE_BYTES]);
            }
            if (inTables) {
                db.flush();
                db.compactRange(null, null);
            }
            Random random = new Random(seed);
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 8; round++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < GETS; i++) {
                    if (db.get(keys[random.nextInt(KEYS)]) == null) {
                        throw new AssertionError("a present key was not found");
                    }
                }
                best = Math.min(best, (mx.getCurrentThreadAllocatedBytes() - before) / GETS);
            }
            long value = arrayBytes(VALUE_BYTES);
            long seekKey = arrayBytes(keys[0].length + 8);
            System.out.printf(
                    "ReadAllocationTest (%s): %d bytes per get (value %d, seek key %d)%n",
                    inTables ? "tables" : "memtable", best, value, seekKey);
            assertThat(best - value)
                    .as("bytes a get allocates besides its value")
                    .isLessThan(64);
        }
    }

    /** Bytes of a byte array of {@code n} elements: a 16-byte header, 8-byte aligned. */
    private static long arrayBytes(int n) {
        return (16L + n + 7) / 8 * 8;
    }
}
