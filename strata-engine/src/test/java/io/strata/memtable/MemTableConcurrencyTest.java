package io.strata.memtable;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.sstable.SstTestSupport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One writer, several readers, no lock: the discipline the engine uses (the group-commit leader
 * writes; gets, iterators and the flush read). The writer publishes each sequence after its add,
 * as the engine publishes {@code lastSequence}. Readers check that every view is sorted, that
 * every entry they find is whole (its value is a function of its sequence), that a get at
 * sequence s returns exactly the newest version at or below s, and that a scan holds every entry
 * published before it started.
 */
class MemTableConcurrencyTest {
    private static final int WRITES = 60_000;
    private static final int USER_KEYS = 5_000;
    private static final int READERS = 3;

    /** The value written at {@code sequence}: its length and bytes follow from it; every 2000th spans chunks. */
    private static byte[] value(long sequence) {
        int length = sequence % 2000 == 0 ? 300_000 + (int) (sequence % 7) : (int) (sequence * 31 % 300);
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++) {
            value[i] = (byte) (sequence * 131 + i);
        }
        return value;
    }

    private static byte[] userKey(int k) {
        return String.format("user-%05d", k).getBytes(UTF_8);
    }

    @Test
    void oneWriterManyReaders() throws Exception {
        long seed = SstTestSupport.seed("MemTableConcurrencyTest.oneWriterManyReaders", 0xc0cc_0001L);
        SplittableRandom random = new SplittableRandom(seed);
        // userOf[s] is the user key written at sequence s; versions[k] its sequences, ascending.
        int[] userOf = new int[WRITES + 1];
        List<List<Long>> versions = new ArrayList<>();
        for (int k = 0; k < USER_KEYS; k++) {
            versions.add(new ArrayList<>());
        }
        for (int s = 1; s <= WRITES; s++) {
            userOf[s] = random.nextInt(USER_KEYS);
            versions.get(userOf[s]).add((long) s);
        }

        MemTable mem = new MemTable(1);
        AtomicLong published = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(
                () -> {
                    for (int s = 1; s <= WRITES && failure.get() == null; s++) {
                        boolean tombstone = s % 11 == 0;
                        mem.add(
                                InternalKey.encode(
                                        userKey(userOf[s]), s, tombstone ? ValueType.DELETION : ValueType.VALUE),
                                tombstone ? new byte[0] : value(s));
                        published.set(s);
                    }
                },
                "memtable-writer"));
        long[] reads = new long[READERS];
        long[] roundsDuringWrites = new long[READERS];
        for (int r = 0; r < READERS; r++) {
            int reader = r;
            SplittableRandom readerRandom = random.split();
            threads.add(new Thread(
                    () -> {
                        try {
                            long lastUsage = 0;
                            boolean finalRound = false;
                            while (!finalRound && failure.get() == null) {
                                finalRound = published.get() == WRITES;
                                roundsDuringWrites[reader] += finalRound ? 0 : 1;
                                long usage = mem.approximateMemoryUsage();
                                assertThat(usage).as("memory usage only grows").isGreaterThanOrEqualTo(lastUsage);
                                lastUsage = usage;
                                reads[reader] += checkGets(mem, readerRandom, published.get(), versions);
                                reads[reader] += checkScan(mem, readerRandom, published.get(), userOf);
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    },
                    "memtable-reader-" + r));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("seed " + seed, failure.get());
        }
        System.out.println("MemTableConcurrencyTest: entries checked per reader " + Arrays.toString(reads)
                + ", rounds begun while the writer wrote " + Arrays.toString(roundsDuringWrites));
    }

    /** Gets at {@code visible} for random user keys; returns how many were checked. */
    private static int checkGets(MemTable mem, SplittableRandom random, long visible, List<List<Long>> versions) {
        for (int i = 0; i < 200; i++) {
            int k = random.nextInt(USER_KEYS);
            long at = random.nextLong(visible + 1);
            long expected = -1;
            for (long s : versions.get(k)) {
                if (s <= at) {
                    expected = s;
                }
            }
            Map.Entry<byte[], byte[]> e = mem.get(InternalKey.seekKey(userKey(k), at));
            if (expected < 0) {
                assertThat(e).as("user key %d at %d", k, at).isNull();
                continue;
            }
            assertThat(e).as("user key %d at %d", k, at).isNotNull();
            assertThat(InternalKey.userKey(e.getKey())).isEqualTo(userKey(k));
            assertThat(InternalKey.sequence(e.getKey()))
                    .as("user key %d at %d", k, at)
                    .isEqualTo(expected);
            checkEntry(e.getKey(), e.getValue());
        }
        return 200;
    }

    /**
     * A scan from the first entry or from a random user key: sorted, whole entries, and every
     * entry published before the scan started (from the scan's start on) is there.
     */
    private static long checkScan(MemTable mem, SplittableRandom random, long visible, int[] userOf) {
        byte[] from = random.nextBoolean()
                ? null
                : InternalKey.seekKey(userKey(random.nextInt(USER_KEYS)), InternalKey.MAX_SEQUENCE);
        long expected = 0;
        for (int s = 1; s <= visible; s++) {
            if (from == null || InternalKey.compareUserKey(from, userKey(userOf[s])) <= 0) {
                expected++;
            }
        }
        long seen = 0;
        long seenVisible = 0;
        byte[] previous = null;
        try (InternalIterator it = mem.iterator()) {
            if (from == null) {
                it.seekToFirst();
            } else {
                it.seek(from);
            }
            for (; it.valid(); it.next()) {
                byte[] key = it.key();
                if (previous != null) {
                    assertThat(InternalKey.compare(previous, key))
                            .as("scan order")
                            .isNegative();
                }
                previous = key;
                checkEntry(key, it.value());
                seen++;
                if (InternalKey.sequence(key) <= visible) {
                    seenVisible++;
                }
            }
        }
        assertThat(seenVisible).as("entries published before the scan").isEqualTo(expected);
        return seen;
    }

    private static void checkEntry(byte[] key, byte[] value) {
        long s = InternalKey.sequence(key);
        if (InternalKey.type(key) == ValueType.DELETION) {
            assertThat(s % 11).isZero();
            assertThat(value).isEmpty();
        } else {
            assertThat(value).as("value of sequence %d", s).isEqualTo(value(s));
        }
    }
}
