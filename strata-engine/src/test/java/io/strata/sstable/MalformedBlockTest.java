package io.strata.sstable;

import static io.strata.sstable.SstTestSupport.bytes;
import static io.strata.sstable.SstTestSupport.ikey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import io.strata.CorruptionException;
import io.strata.iterator.InternalIterator;
import io.strata.iterator.IteratorWalk;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.util.Coding;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A block that passed its checksum can still be malformed (a bug in a writer, or damage the
 * checksum missed). Decoding it must raise {@link CorruptionException} naming the block, and
 * nothing else: no index errors, negative sizes, huge allocations or endless loops.
 */
class MalformedBlockTest {
    private static final String WHERE = "000042.sst block at offset 1234";

    private static final List<byte[]> TARGETS = List.of(
            ikey("", InternalKey.MAX_SEQUENCE, ValueType.VALUE),
            ikey("key-0010", 5, ValueType.VALUE),
            ikey("key-0025", 0, ValueType.DELETION),
            ikey("zzzz", 1, ValueType.VALUE));

    /** Constructs the block, iterates it fully and seeks in it, touching every key and value. */
    private static void readAll(byte[] data, int length) {
        Block block = new Block(data, length, WHERE);
        try (InternalIterator it = block.iterator()) {
            int n = 0;
            for (it.seekToFirst(); it.valid(); it.next()) {
                it.key();
                it.value();
                if (++n > length) {
                    fail("more entries than bytes in the block: the iterator loops");
                }
            }
            for (byte[] target : TARGETS) {
                it.seek(target);
                for (int i = 0; it.valid() && i < length; i++) {
                    it.key();
                    it.value();
                    it.next();
                }
            }
        }
    }

    private static void assertCorrupt(byte[] data, int length, String what) {
        Throwable t = catchThrowable(() -> readAll(data, length));
        assertThat(t).as(what).isNotNull();
        assertThat(t).as(what).isInstanceOf(CorruptionException.class).hasMessageContaining(WHERE);
    }

    private static void assertCorrupt(byte[] block, String what) {
        assertCorrupt(block, block.length, what);
    }

    /** A valid block with a single restart (so every entry but the first shares a prefix). */
    private static byte[] validBlock(int restartInterval, int entries) {
        BlockBuilder b = new BlockBuilder(restartInterval);
        for (int i = 0; i < entries; i++) {
            b.add(ikey(String.format("key-%04d", i * 3), 100 - i, ValueType.VALUE), bytes("value-" + i));
        }
        return b.finish();
    }

    /** Raw entries followed by the given restart array and count. */
    private static byte[] rawBlock(byte[] entries, int... restarts) {
        byte[] out = Arrays.copyOf(entries, entries.length + 4 * restarts.length + 4);
        for (int i = 0; i < restarts.length; i++) {
            Coding.putFixed32(out, entries.length + 4 * i, restarts[i]);
        }
        Coding.putFixed32(out, out.length - 4, restarts.length);
        return out;
    }

    private static byte[] entry(long shared, long nonShared, long valueLength, byte[] keyDelta, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] v = new byte[30];
        int n = Coding.putVarint64(v, 0, shared);
        n = Coding.putVarint64(v, n, nonShared);
        n = Coding.putVarint64(v, n, valueLength);
        out.write(v, 0, n);
        out.writeBytes(keyDelta);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void validHandMadeBlockDecodes() {
        byte[] k1 = ikey("key-0001", 1, ValueType.VALUE);
        byte[] k2 = ikey("key-0002", 1, ValueType.VALUE);
        byte[] block = rawBlock(
                concat(
                        entry(0, k1.length, 1, k1, bytes("a")),
                        entry(7, k2.length - 7, 0, Arrays.copyOfRange(k2, 7, k2.length), new byte[0])),
                0);
        Block b = new Block(block, block.length, WHERE);
        try (InternalIterator it = b.iterator()) {
            it.seekToFirst();
            assertThat(it.key()).isEqualTo(k1);
            it.next();
            assertThat(it.key()).isEqualTo(k2);
            assertThat(it.value()).isEmpty();
        }
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void blockShorterThanTheRestartCountIsCorrupt(int length) {
        assertCorrupt(new byte[length], "block of " + length + " bytes");
    }

    @Test
    void restartCountTooBigIsCorrupt() {
        byte[] valid = validBlock(4, 20);
        for (long count : new long[] {valid.length / 4, valid.length, 0x7fffffffL, 0x80000000L, 0xffffffffL}) {
            byte[] block = valid.clone();
            Coding.putFixed32(block, block.length - 4, (int) count);
            assertThatThrownBy(() -> new Block(block, block.length, WHERE))
                    .as("restart count %d", count)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(WHERE)
                    .hasMessageContaining("restart count");
        }
    }

    @Test
    void zeroRestartsIsCorrupt() {
        byte[] block = validBlock(4, 20);
        Coding.putFixed32(block, block.length - 4, 0);
        assertCorrupt(block, "zero restarts");
    }

    @Test
    void restartPointOutsideTheEntriesIsCorrupt() {
        byte[] valid = validBlock(4, 20);
        int count = Coding.getFixed32(valid, valid.length - 4);
        int restartsOffset = valid.length - 4 - 4 * count;
        for (int bad : new int[] {restartsOffset + 1, valid.length, Integer.MAX_VALUE, -1, Integer.MIN_VALUE}) {
            for (int which : new int[] {0, count / 2, count - 1}) {
                byte[] block = valid.clone();
                Coding.putFixed32(block, restartsOffset + 4 * which, bad);
                assertCorrupt(block, "restart " + which + " = " + bad);
            }
        }
    }

    @Test
    void truncatedLastEntryIsCorruptAtEveryCutPoint() {
        int entries = 10;
        BlockBuilder b = new BlockBuilder(1000);
        for (int i = 0; i < entries; i++) {
            if (i == entries - 1) {
                // The builder's current size minus the empty tail (1 restart + count) is where it starts.
                int lastStart = b.currentSize() - 8;
                b.add(ikey("key-9999-with-a-longer-suffix", 1, ValueType.VALUE), bytes("the last value"));
                byte[] contents = b.finish();
                int entriesEnd = contents.length - 8;
                for (int cut = lastStart + 1; cut < entriesEnd; cut++) {
                    byte[] block = rawBlock(Arrays.copyOf(contents, cut), 0);
                    assertCorrupt(
                            block, "entries cut at " + cut + " (last entry " + lastStart + ".." + entriesEnd + ")");
                }
                // Cutting exactly at an entry boundary leaves a shorter, valid block.
                byte[] shorter = rawBlock(Arrays.copyOf(contents, lastStart), 0);
                readAll(shorter, shorter.length);
                return;
            }
            b.add(ikey(String.format("key-%04d", i), 1, ValueType.VALUE), bytes("v" + i));
        }
    }

    @Test
    void entryLongerThanTheBlockIsCorrupt() {
        byte[] k = ikey("key-0001", 1, ValueType.VALUE);
        assertCorrupt(rawBlock(entry(0, k.length, 1000, k, bytes("short")), 0), "value length past the end");
        assertCorrupt(rawBlock(entry(0, 1000, 1, k, bytes("v")), 0), "key length past the end");
        assertCorrupt(rawBlock(entry(0, k.length, Integer.MAX_VALUE, k, bytes("v")), 0), "value length 2^31-1");
        assertCorrupt(
                rawBlock(entry(0, Integer.MAX_VALUE, Integer.MAX_VALUE, k, bytes("v")), 0),
                "key and value lengths 2^31-1 (overflow when added)");
        assertCorrupt(rawBlock(entry(0, k.length, 1L << 40, k, bytes("v")), 0), "value length beyond an int");
        assertCorrupt(rawBlock(entry(0, k.length, -1L, k, bytes("v")), 0), "value length -1 as a 10-byte varint");
    }

    @Test
    void sharedPrefixLongerThanThePreviousKeyIsCorrupt() {
        byte[] k1 = ikey("key-0001", 1, ValueType.VALUE);
        assertCorrupt(rawBlock(entry(3, k1.length, 0, k1, new byte[0]), 0), "first entry shares 3 bytes");
        byte[] block = rawBlock(
                concat(entry(0, k1.length, 0, k1, new byte[0]), entry(k1.length + 1, 8, 0, new byte[8], new byte[0])),
                0);
        assertCorrupt(block, "second entry shares more than the first key");
    }

    @Test
    void keyShorterThanTheTrailerIsCorrupt() {
        for (int len = 0; len < InternalKey.TRAILER_SIZE; len++) {
            assertCorrupt(rawBlock(entry(0, len, 1, new byte[len], bytes("v")), 0), "key of " + len + " bytes");
        }
    }

    @Test
    void overlongOrTruncatedVarintIsCorrupt() {
        byte[] overlong = new byte[12];
        Arrays.fill(overlong, (byte) 0x80);
        assertCorrupt(rawBlock(overlong, 0), "overlong varint");
        assertCorrupt(rawBlock(new byte[] {0, (byte) 0x80}, 0), "varint running into the restart array");
        assertCorrupt(rawBlock(new byte[] {0}, 0), "entry header cut after one varint");
    }

    @Test
    void seededRandomDamageRaisesOnlyCorruption() {
        long seed = SstTestSupport.seed("MalformedBlockTest.randomDamage", 0xb10cdL);
        Random rnd = new Random(seed);
        List<byte[]> sources = new ArrayList<>();
        sources.add(validBlock(1, 30));
        sources.add(validBlock(4, 60));
        sources.add(validBlock(16, 60));
        NavigableMap<byte[], byte[]> random = IteratorWalk.randomEntries(new Random(seed), 80);
        BlockBuilder rb = new BlockBuilder(3);
        for (Map.Entry<byte[], byte[]> e : random.entrySet()) {
            rb.add(e.getKey(), e.getValue());
        }
        sources.add(rb.finish());

        int corrupt = 0;
        int trials = 6000;
        for (int trial = 0; trial < trials; trial++) {
            byte[] src = sources.get(rnd.nextInt(sources.size()));
            byte[] block = src.clone();
            int length = block.length;
            String damage;
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    int flips = 1 + rnd.nextInt(3);
                    for (int i = 0; i < flips; i++) {
                        block[rnd.nextInt(length)] ^= (byte) (1 + rnd.nextInt(255));
                    }
                    damage = flips + " random byte flips";
                }
                case 1 -> {
                    // The restart array and count are the most sensitive part.
                    int tail = Math.min(length, 24);
                    block[length - 1 - rnd.nextInt(tail)] = (byte) rnd.nextInt();
                    damage = "a byte near the end";
                }
                case 2 -> {
                    int from = rnd.nextInt(length);
                    int to = Math.min(length, from + 1 + rnd.nextInt(16));
                    Arrays.fill(block, from, to, rnd.nextBoolean() ? (byte) 0 : (byte) 0xff);
                    damage = "bytes " + from + ".." + to + " overwritten";
                }
                default -> {
                    length = rnd.nextInt(length);
                    damage = "cut to " + length + " bytes";
                }
            }
            byte[] data = block;
            int len = length;
            Throwable t = catchThrowable(() -> readAll(data, len));
            if (t != null) {
                corrupt++;
                assertThat(t)
                        .as("trial %d (%s), seed %d", trial, damage, seed)
                        .isInstanceOf(CorruptionException.class)
                        .hasMessageContaining(WHERE);
            }
        }
        System.out.println(
                "MalformedBlockTest: " + corrupt + " of " + trials + " damaged blocks raised CorruptionException");
        assertThat(corrupt).as("damage is mostly detected").isGreaterThan(trials / 10);
    }
}
