package io.strata.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.Limits;
import io.strata.iterator.InternalIterator;
import io.strata.iterator.IteratorWalk;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.sstable.SstTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemTableTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ikey(String userKey, long sequence, int type) {
        return InternalKey.encode(b(userKey), sequence, type);
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Every entry of the iterator from {@code it}'s current position, as (key, value) pairs. */
    private static List<Map.Entry<byte[], byte[]>> rest(InternalIterator it) {
        List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
        for (; it.valid(); it.next()) {
            out.add(Map.entry(it.key(), it.value()));
        }
        return out;
    }

    private static void assertSameEntries(
            List<Map.Entry<byte[], byte[]>> actual, NavigableMap<byte[], byte[]> expected) {
        assertThat(actual).hasSameSizeAs(expected.entrySet());
        int i = 0;
        for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
            assertThat(actual.get(i).getKey()).as("key %d", i).isEqualTo(e.getKey());
            assertThat(actual.get(i).getValue()).as("value %d", i).isEqualTo(e.getValue());
            i++;
        }
    }

    @Test
    void emptyTable() {
        MemTable mem = new MemTable(7);
        assertThat(mem.walNumber()).isEqualTo(7);
        assertThat(mem.isEmpty()).isTrue();
        assertThat(mem.approximateMemoryUsage()).isZero();
        assertThat(mem.get(InternalKey.seekKey(b("a"), 10))).isNull();
        try (InternalIterator it = mem.iterator()) {
            it.seekToFirst();
            assertThat(it.valid()).isFalse();
            it.seek(ikey("a", 1, ValueType.VALUE));
            assertThat(it.valid()).isFalse();
        }
    }

    /**
     * Random keys (short, sharing prefixes, some user keys in many versions) against a TreeMap
     * ordered by the same comparator: full iteration, seeks from arbitrary keys (present or not),
     * and gets at arbitrary sequences.
     */
    @Test
    void randomKeysMatchTreeMap() {
        long seed = SstTestSupport.seed("MemTableTest.randomKeysMatchTreeMap", 0x3e3_7ab1eL);
        SplittableRandom random = new SplittableRandom(seed);
        MemTable mem = new MemTable(1);
        NavigableMap<byte[], byte[]> model = new TreeMap<>(InternalKey.COMPARATOR);
        long sequence = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] userKey = randomBytes(random, 1 + random.nextInt(random.nextBoolean() ? 3 : 24));
            int type = random.nextInt(8) == 0 ? ValueType.DELETION : ValueType.VALUE;
            byte[] key = InternalKey.encode(userKey, ++sequence, type);
            byte[] value = type == ValueType.VALUE ? randomBytes(random, random.nextInt(200)) : new byte[0];
            mem.add(key, value);
            model.put(key, value);
        }
        assertThat(mem.isEmpty()).isFalse();
        List<byte[]> keys = new ArrayList<>(model.keySet());
        try (InternalIterator it = mem.iterator()) {
            it.seekToFirst();
            assertSameEntries(rest(it), model);
            for (int i = 0; i < 300; i++) {
                byte[] target = i % 2 == 0
                        ? InternalKey.encode(
                                randomBytes(random, 1 + random.nextInt(4)),
                                random.nextLong(sequence + 2),
                                ValueType.FOR_SEEK)
                        : keys.get(random.nextInt(keys.size()));
                it.seek(target);
                List<Map.Entry<byte[], byte[]>> got = new ArrayList<>();
                for (int n = 0; n < 20 && it.valid(); n++, it.next()) {
                    got.add(Map.entry(it.key(), it.value()));
                }
                NavigableMap<byte[], byte[]> expected = new TreeMap<>(InternalKey.COMPARATOR);
                model.tailMap(target, true).entrySet().stream()
                        .limit(20)
                        .forEach(e -> expected.put(e.getKey(), e.getValue()));
                assertSameEntries(got, expected);
            }
        }
        for (int i = 0; i < 2000; i++) {
            byte[] userKey = i % 2 == 0
                    ? InternalKey.userKey(keys.get(random.nextInt(keys.size())))
                    : randomBytes(random, 1 + random.nextInt(3));
            byte[] seekKey = InternalKey.seekKey(userKey, random.nextLong(sequence + 2));
            Map.Entry<byte[], byte[]> expected = model.ceilingEntry(seekKey);
            if (expected != null && !InternalKey.sameUserKey(expected.getKey(), seekKey)) {
                expected = null;
            }
            Map.Entry<byte[], byte[]> got = mem.get(seekKey);
            if (expected == null) {
                assertThat(got).isNull();
            } else {
                assertThat(got.getKey()).isEqualTo(expected.getKey());
                assertThat(got.getValue()).isEqualTo(expected.getValue());
            }
        }
    }

    @Test
    void walksBothWaysLikeASortedMap() {
        long seed = SstTestSupport.seed("MemTableTest.walksBothWaysLikeASortedMap", 0x5eed_b0a7L);
        Random rnd = new Random(seed);
        for (int n : new int[] {0, 1, 2, 3000}) {
            NavigableMap<byte[], byte[]> entries = IteratorWalk.randomEntries(rnd, n);
            MemTable mem = new MemTable(1);
            entries.forEach(mem::add);
            try (InternalIterator it = mem.iterator()) {
                IteratorWalk.check(it, entries, rnd, 5000);
            }
        }
    }

    /**
     * Gets at every kind of sequence (the newest, between versions, below the oldest) find what
     * the sorted model finds, through the table of nodes by key and past its bound (where some keys
     * are only in the skip list); then walks both ways over the chains of versions (about 10 a
     * key) find the model's entries in its order.
     */
    @ParameterizedTest(name = "nodes-by-key table of {0} keys")
    @ValueSource(ints = {1 << 20, 50})
    void getsMatchTheModelWithAndPastTheNodesByKeyBound(int indexedKeys) {
        long seed = SstTestSupport.seed("MemTableTest.getsMatchTheModel", 0x9e75_0000L + indexedKeys);
        Random rnd = new Random(seed);
        MemTable mem = new MemTable(1, indexedKeys);
        NavigableMap<byte[], byte[]> model = new TreeMap<>(InternalKey.COMPARATOR);
        for (long sequence = 1; sequence <= 3000; sequence++) {
            byte[] userKey = ("k" + rnd.nextInt(300)).getBytes(StandardCharsets.UTF_8);
            int type = rnd.nextInt(6) == 0 ? ValueType.DELETION : ValueType.VALUE;
            byte[] key = InternalKey.encode(userKey, sequence, type);
            byte[] value = new byte[type == ValueType.VALUE ? 20 : 0];
            rnd.nextBytes(value);
            mem.add(key, value);
            model.put(key, value);
            byte[] probe = ("k" + rnd.nextInt(320)).getBytes(StandardCharsets.UTF_8);
            byte[] seekKey = InternalKey.seekKey(probe, rnd.nextBoolean() ? sequence : rnd.nextLong(sequence + 1));
            Map.Entry<byte[], byte[]> expected = model.ceilingEntry(seekKey);
            if (expected != null && !InternalKey.sameUserKey(expected.getKey(), seekKey)) {
                expected = null;
            }
            Map.Entry<byte[], byte[]> got = mem.get(seekKey);
            if (expected == null) {
                assertThat(got).as("get %s", InternalKey.sequence(seekKey)).isNull();
            } else {
                assertThat(got.getKey()).isEqualTo(expected.getKey());
                assertThat(got.getValue()).isEqualTo(expected.getValue());
            }
        }
        try (InternalIterator it = mem.iterator()) {
            IteratorWalk.check(it, model, rnd, 3000);
        }
    }

    /** Versions of one user key come newest first; a get sees the newest at or below its sequence. */
    @Test
    void versionsOfOneUserKeyNewestFirst() {
        MemTable mem = new MemTable(1);
        mem.add(ikey("k", 5, ValueType.VALUE), b("five"));
        mem.add(ikey("k", 9, ValueType.DELETION), new byte[0]);
        mem.add(ikey("k", 2, ValueType.VALUE), b("two"));
        mem.add(ikey("j", 7, ValueType.VALUE), b("jay"));
        mem.add(ikey("l", 1, ValueType.VALUE), b("ell"));
        try (InternalIterator it = mem.iterator()) {
            it.seekToFirst();
            List<String> order = new ArrayList<>();
            for (; it.valid(); it.next()) {
                order.add(new String(InternalKey.userKey(it.key()), StandardCharsets.UTF_8) + "@"
                        + InternalKey.sequence(it.key()));
            }
            assertThat(order).containsExactly("j@7", "k@9", "k@5", "k@2", "l@1");
        }
        Map.Entry<byte[], byte[]> tombstone = mem.get(InternalKey.seekKey(b("k"), 100));
        assertThat(InternalKey.type(tombstone.getKey())).isEqualTo(ValueType.DELETION);
        assertThat(tombstone.getValue()).isEmpty();
        assertThat(mem.get(InternalKey.seekKey(b("k"), 8)).getValue()).isEqualTo(b("five"));
        assertThat(mem.get(InternalKey.seekKey(b("k"), 4)).getValue()).isEqualTo(b("two"));
        assertThat(mem.get(InternalKey.seekKey(b("k"), 1)))
                .as("older than every version")
                .isNull();
        assertThat(mem.get(InternalKey.seekKey(b("kk"), 100))).isNull();
        assertThat(mem.get(InternalKey.seekKey(b("a"), 100))).isNull();
    }

    /** A repeated internal key (only a corrupt log makes one) replaces the value, as a map would. */
    @Test
    void repeatedInternalKeyReplacesValue() {
        MemTable mem = new MemTable(1);
        mem.add(ikey("k", 3, ValueType.VALUE), b("first"));
        mem.add(ikey("k", 3, ValueType.VALUE), b("second"));
        assertThat(mem.get(InternalKey.seekKey(b("k"), 3)).getValue()).isEqualTo(b("second"));
        try (InternalIterator it = mem.iterator()) {
            it.seekToFirst();
            assertThat(rest(it)).hasSize(1);
        }
    }

    /**
     * Values around and far beyond the 256 KiB chunk (a chunk of their own), the largest value
     * allowed, and small entries before and after them that must still be intact.
     */
    @Test
    void hugeValuesKeepTheirOwnChunksIntact() {
        long seed = SstTestSupport.seed("MemTableTest.hugeValuesKeepTheirOwnChunksIntact", 0xb16L);
        SplittableRandom random = new SplittableRandom(seed);
        int chunk = Arena.MAX_CHUNK_BYTES;
        int[] sizes = {
            1, chunk / 4 - 100, chunk / 4 + 100, 200_000, chunk - 3, chunk, 3 * chunk + 5, Limits.MAX_VALUE_SIZE, 0, 7
        };
        MemTable mem = new MemTable(1);
        NavigableMap<byte[], byte[]> model = new TreeMap<>(InternalKey.COMPARATOR);
        long expectedBytes = 0;
        for (int i = 0; i < sizes.length; i++) {
            byte[] key = ikey(String.format("key-%02d", i), i + 1, ValueType.VALUE);
            byte[] value = randomBytes(random, sizes[i]);
            mem.add(key, value);
            model.put(key, value);
            expectedBytes += key.length + value.length;
        }
        try (InternalIterator it = mem.iterator()) {
            it.seekToFirst();
            assertSameEntries(rest(it), model);
        }
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
            assertThat(mem.get(e.getKey()).getValue()).isEqualTo(e.getValue());
        }
        assertThat(mem.approximateMemoryUsage())
                .as("keys and values are counted")
                .isGreaterThanOrEqualTo(expectedBytes)
                .isLessThan(expectedBytes + 2 * 1024 * 1024);
    }

    /** The memory counted is the arena's: entries with their length prefixes, and the nodes. */
    @Test
    void memoryUsageCountsEntriesAndNodes() {
        MemTable mem = new MemTable(1);
        long before = mem.approximateMemoryUsage();
        long last = before;
        for (int i = 0; i < 1000; i++) {
            mem.add(ikey(String.format("key-%06d", i), i + 1, ValueType.VALUE), new byte[100]);
            long now = mem.approximateMemoryUsage();
            assertThat(now).isGreaterThan(last);
            last = now;
        }
        // 8 bytes of link to an older entry, 18 of internal key, 100 of value and 2 of lengths per
        // entry; nodes 8 bytes per link plus 8; wasted ends of chunks under one entry each; the
        // node-by-key table's 2,048 slots of 16 bytes (1,000 keys fill over three quarters of 1,024).
        long entries = 1000L * (8 + 18 + 100 + 2);
        long newest = 2048L * 16;
        assertThat(last)
                .isGreaterThan(entries + 1000L * 16 + newest)
                .isLessThan(entries + 1000L * 16 + 1000L * 16 + 20_000 + newest);
    }

    /**
     * A key written again costs its entry alone: the new version joins the key's chain, and the
     * skip list (whose nodes would add 8 bytes plus 8 a level per version) does not grow.
     */
    @Test
    void anOverwriteAddsNoNode() {
        MemTable mem = new MemTable(1);
        byte[] value = new byte[100];
        mem.add(ikey("key-000000000001", 1, ValueType.VALUE), value);
        long before = mem.approximateMemoryUsage();
        int writes = 100_000;
        for (int i = 0; i < writes; i++) {
            mem.add(ikey("key-000000000001", i + 2, ValueType.VALUE), value);
        }
        // 8 bytes of link, 1 + 24 of internal key, 1 + 100 of value; under one entry wasted at the
        // end of each 256 KiB chunk.
        long entryBytes = 8 + 1 + 24 + 1 + 100;
        assertThat(mem.approximateMemoryUsage() - before).isLessThan(writes * entryBytes + 64 * 1024);
        assertThat(mem.get(InternalKey.seekKey(b("key-000000000001"), 50)).getKey())
                .isEqualTo(ikey("key-000000000001", 50, ValueType.VALUE));
    }

    /**
     * A flush gets each key's versions down to the first at or below the smallest snapshot, and
     * every tombstone among them; with no snapshot below the last sequence, each key's newest.
     */
    @Test
    void aFlushGetsWhatSomeReaderMaySee() throws IOException {
        MemTable mem = new MemTable(1);
        mem.add(ikey("a", 1, ValueType.VALUE), b("a1"));
        mem.add(ikey("k", 2, ValueType.VALUE), b("k2"));
        mem.add(ikey("k", 4, ValueType.VALUE), b("k4"));
        mem.add(ikey("k", 6, ValueType.DELETION), new byte[0]);
        mem.add(ikey("k", 8, ValueType.VALUE), b("k8"));
        mem.add(ikey("z", 3, ValueType.DELETION), new byte[0]);
        mem.add(ikey("z", 9, ValueType.VALUE), b("z9"));
        assertThat(flushed(mem, 5)).containsExactly("a@1", "k@8", "k@6", "k@4", "z@9", "z@3");
        assertThat(flushed(mem, 6)).containsExactly("a@1", "k@8", "k@6", "z@9", "z@3");
        assertThat(flushed(mem, 9)).containsExactly("a@1", "k@8", "z@9");
        assertThat(flushed(mem, 0)).containsExactly("a@1", "k@8", "k@6", "k@4", "k@2", "z@9", "z@3");
    }

    private static List<String> flushed(MemTable mem, long smallestSnapshot) throws IOException {
        List<String> got = new ArrayList<>();
        mem.forEachToFlush(smallestSnapshot, (key, value) -> {
            assertThat(value)
                    .isEqualTo(
                            InternalKey.type(key) == ValueType.VALUE
                                    ? b(new String(InternalKey.userKey(key), StandardCharsets.UTF_8)
                                            + InternalKey.sequence(key))
                                    : new byte[0]);
            got.add(new String(InternalKey.userKey(key), StandardCharsets.UTF_8) + "@" + InternalKey.sequence(key));
        });
        return got;
    }

    /** An iterator sees entries added after it was made, where they fall in the order. */
    @Test
    void iteratorSeesLaterInsertions() {
        MemTable mem = new MemTable(1);
        mem.add(ikey("b", 1, ValueType.VALUE), b("1"));
        mem.add(ikey("d", 2, ValueType.VALUE), b("2"));
        try (InternalIterator it = mem.iterator()) {
            it.seekToFirst();
            assertThat(InternalKey.userKey(it.key())).isEqualTo(b("b"));
            mem.add(ikey("c", 3, ValueType.VALUE), b("3"));
            mem.add(ikey("a", 4, ValueType.VALUE), b("4"));
            it.next();
            assertThat(InternalKey.userKey(it.key())).isEqualTo(b("c"));
            assertThat(it.value()).isEqualTo(b("3"));
            it.next();
            assertThat(InternalKey.userKey(it.key())).isEqualTo(b("d"));
            it.next();
            assertThat(it.valid()).isFalse();
        }
    }

    /** Reads hand out copies: changing them does not change the table. */
    @Test
    void readsReturnCopies() {
        MemTable mem = new MemTable(1);
        byte[] key = ikey("k", 1, ValueType.VALUE);
        byte[] value = b("value");
        mem.add(key, value);
        Arrays.fill(key, (byte) 0);
        Arrays.fill(value, (byte) 0);
        Map.Entry<byte[], byte[]> e = mem.get(InternalKey.seekKey(b("k"), 1));
        Arrays.fill(e.getValue(), (byte) 'x');
        try (InternalIterator it = mem.iterator()) {
            it.seekToFirst();
            assertThat(it.key()).isEqualTo(ikey("k", 1, ValueType.VALUE));
            assertThat(it.value()).isEqualTo(b("value"));
        }
    }
}
