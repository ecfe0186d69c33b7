package io.strata.sstable;

import static io.strata.sstable.SstTestSupport.bytes;
import static io.strata.sstable.SstTestSupport.describeKey;
import static io.strata.sstable.SstTestSupport.drain;
import static io.strata.sstable.SstTestSupport.show;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.iterator.InternalIterator;
import io.strata.iterator.IteratorWalk;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.util.Coding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockTest {
    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] build(Map<byte[], byte[]> entries, int restartInterval) {
        BlockBuilder b = new BlockBuilder(restartInterval);
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            b.add(e.getKey(), e.getValue());
        }
        int expectedSize = b.currentSize();
        byte[] contents = b.finish();
        assertThat(contents).hasSize(expectedSize);
        return contents;
    }

    /** A Block over the contents followed by junk, as Table hands it (contents + trailer). */
    static Block blockWithJunkAfter(byte[] contents, Random rnd) {
        byte[] data = Arrays.copyOf(contents, contents.length + 7);
        for (int i = contents.length; i < data.length; i++) {
            data[i] = (byte) rnd.nextInt();
        }
        return new Block(data, contents.length, "test block");
    }

    /** Targets that exist, fall between keys (same and different user keys), and sit at both ends. */
    static List<byte[]> seekTargets(NavigableMap<byte[], byte[]> oracle, Random rnd) {
        List<byte[]> targets = new ArrayList<>(oracle.keySet());
        for (byte[] k : oracle.keySet()) {
            if (rnd.nextInt(4) != 0) {
                continue;
            }
            byte[] user = InternalKey.userKey(k);
            long seq = InternalKey.sequence(k);
            if (seq < InternalKey.MAX_SEQUENCE) {
                targets.add(InternalKey.encode(user, seq + 1, ValueType.VALUE));
            }
            if (seq > 0) {
                targets.add(InternalKey.encode(user, seq - 1, ValueType.VALUE));
            }
            targets.add(InternalKey.encode(user, seq, 1 - InternalKey.type(k)));
            targets.add(InternalKey.encode(concat(user, new byte[] {0}), InternalKey.MAX_SEQUENCE, ValueType.VALUE));
            targets.add(InternalKey.encode(Arrays.copyOf(user, user.length - 1), 0, ValueType.DELETION));
        }
        for (int i = 0; i < 500; i++) {
            targets.add(InternalKey.encode(
                    bytes(String.format(
                            "tenant-%d/user-%05d/field-%d", rnd.nextInt(5), rnd.nextInt(2100), rnd.nextInt(4))),
                    rnd.nextInt(1_000_000),
                    ValueType.VALUE));
        }
        return targets;
    }

    @ParameterizedTest(name = "restart interval {0}")
    @ValueSource(ints = {1, 2, 16})
    void roundTripsEntriesAndSeeksLikeASortedMap(int restartInterval) {
        long seed = SstTestSupport.seed("BlockTest.roundTrip/" + restartInterval, 0x5eed0000L + restartInterval);
        Random rnd = new Random(seed);
        NavigableMap<byte[], byte[]> oracle = IteratorWalk.randomEntries(rnd, 3000);
        byte[] contents = build(oracle, restartInterval);

        int numRestarts = Coding.getFixed32(contents, contents.length - 4);
        assertThat(numRestarts).as("restart count").isEqualTo((oracle.size() + restartInterval - 1) / restartInterval);

        Block block = blockWithJunkAfter(contents, rnd);
        try (InternalIterator it = block.iterator()) {
            it.seekToFirst();
            assertThat(drain(it)).as("seed %d", seed).containsExactlyElementsOf(show(oracle));
            assertThat(it.valid()).isFalse();

            for (byte[] target : seekTargets(oracle, rnd)) {
                it.seek(target);
                byte[] expected = oracle.ceilingKey(target);
                if (expected == null) {
                    assertThat(it.valid())
                            .as("seek(%s) past the end, seed %d", describeKey(target), seed)
                            .isFalse();
                } else {
                    assertThat(it.valid())
                            .as("seek(%s), seed %d", describeKey(target), seed)
                            .isTrue();
                    assertThat(show(it.key(), it.value()))
                            .as("seek(%s), seed %d", describeKey(target), seed)
                            .isEqualTo(show(expected, oracle.get(expected)));
                }
            }

            // Before the first key: the smallest possible internal key.
            it.seek(InternalKey.encode(new byte[0], InternalKey.MAX_SEQUENCE, ValueType.VALUE));
            assertThat(it.valid()).isTrue();
            assertThat(it.key()).isEqualTo(oracle.firstKey());
            // After the last key.
            byte[] after = new byte[12];
            Arrays.fill(after, (byte) 0xff);
            it.seek(InternalKey.encode(after, 0, ValueType.DELETION));
            assertThat(it.valid()).isFalse();
            // Just after the last key (same user key, lower sequence/type).
            byte[] last = oracle.lastKey();
            it.seek(InternalKey.encode(InternalKey.userKey(last), 0, ValueType.DELETION));
            assertThat(it.valid()).isEqualTo(InternalKey.trailer(last) == 0);

            // A seek followed by next() runs through the rest of the block in order.
            List<byte[]> keys = new ArrayList<>(oracle.keySet());
            for (int i = 0; i < 20; i++) {
                byte[] target = keys.get(rnd.nextInt(keys.size()));
                it.seek(target);
                assertThat(drain(it))
                        .as("tail after seek(%s), seed %d", describeKey(target), seed)
                        .containsExactlyElementsOf(show(oracle.tailMap(target, true)));
            }
        }
    }

    @ParameterizedTest(name = "restart interval {0}")
    @ValueSource(ints = {1, 3, 16})
    void walksBothWaysLikeASortedMap(int restartInterval) {
        long seed = SstTestSupport.seed("BlockTest.walksBothWaysLikeASortedMap", 0xb10c_ba11L + restartInterval);
        Random rnd = new Random(seed);
        for (int n : new int[] {0, 1, 2, 17, 600}) {
            NavigableMap<byte[], byte[]> entries = IteratorWalk.randomEntries(rnd, n);
            byte[] contents = build(entries, restartInterval);
            try (InternalIterator it = blockWithJunkAfter(contents, rnd).iterator()) {
                IteratorWalk.check(it, entries, rnd, 3000);
            }
        }
    }

    @Test
    void eachIteratorIsAnIndependentCursor() {
        Random rnd = new Random(7);
        NavigableMap<byte[], byte[]> oracle = IteratorWalk.randomEntries(rnd, 200);
        Block block = new Block(build(oracle, 4), build(oracle, 4).length, "test block");
        try (InternalIterator a = block.iterator();
                InternalIterator b = block.iterator()) {
            a.seekToFirst();
            b.seek(oracle.lastKey());
            a.next();
            assertThat(a.key()).isEqualTo(oracle.higherKey(oracle.firstKey()));
            assertThat(b.key()).isEqualTo(oracle.lastKey());
        }
    }

    @Test
    void valueIsACopyAndNextOnAnInvalidIteratorThrows() {
        NavigableMap<byte[], byte[]> m = new TreeMap<>(InternalKey.COMPARATOR);
        m.put(SstTestSupport.ikey("a", 1, ValueType.VALUE), bytes("value"));
        byte[] contents = build(m, 16);
        try (InternalIterator it = new Block(contents, contents.length, "b").iterator()) {
            assertThat(it.valid()).as("a fresh iterator is not positioned").isFalse();
            it.seekToFirst();
            it.value()[0] = 'X';
            assertThat(it.value()).isEqualTo(bytes("value"));
            it.next();
            assertThat(it.valid()).isFalse();
            assertThatThrownBy(it::next).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void emptyBlockHasNoEntries() {
        byte[] contents = new BlockBuilder(16).finish();
        assertThat(contents).hasSize(8);
        try (InternalIterator it = new Block(contents, contents.length, "b").iterator()) {
            it.seekToFirst();
            assertThat(it.valid()).isFalse();
            it.seek(SstTestSupport.ikey("k", 5, ValueType.VALUE));
            assertThat(it.valid()).isFalse();
        }
    }

    @Test
    void builderCanBeReusedAfterReset() {
        BlockBuilder b = new BlockBuilder(2);
        b.add(SstTestSupport.ikey("zzz", 1, ValueType.VALUE), bytes("old"));
        b.finish();
        b.reset();
        assertThat(b.isEmpty()).isTrue();
        NavigableMap<byte[], byte[]> m = IteratorWalk.randomEntries(new Random(3), 50);
        for (Map.Entry<byte[], byte[]> e : m.entrySet()) {
            b.add(e.getKey(), e.getValue());
        }
        byte[] contents = b.finish();
        try (InternalIterator it = new Block(contents, contents.length, "b").iterator()) {
            it.seekToFirst();
            assertThat(drain(it)).containsExactlyElementsOf(show(m));
        }
    }
}
