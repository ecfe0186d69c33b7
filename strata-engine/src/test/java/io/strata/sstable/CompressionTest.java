package io.strata.sstable;

import static io.strata.sstable.SstTestSupport.bytes;
import static io.strata.sstable.SstTestSupport.drain;
import static io.strata.sstable.SstTestSupport.ikey;
import static io.strata.sstable.SstTestSupport.show;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.strata.Compression;
import io.strata.CorruptionException;
import io.strata.Options;
import io.strata.StrataDb;
import io.strata.StrataIterator;
import io.strata.TestOptions;
import io.strata.fuzz.FuzzSupport.MemReadableFile;
import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.util.Coding;
import io.strata.util.FileNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Data blocks compressed with LZ4 or Zstd: round trips, the "saves an eighth" rule, and damage
 * to compressed blocks (also damage the checksum cannot see) reported as corruption naming the
 * file and block offset, never as a codec exception or an out-of-memory error.
 */
@SuppressWarnings("EnumOrdinal") // a mode's ordinal picks its fixed seed
class CompressionTest {
    private static final String NAME = "000042.sst";

    @TempDir
    Path dir;

    /**
     * Entries whose values are half random, half a repeat of that half (so compressible),
     * or wholly random when {@code compressible} is false; some deletions.
     */
    private static NavigableMap<byte[], byte[]> data(Random rnd, int n, boolean compressible) {
        NavigableMap<byte[], byte[]> entries = new TreeMap<>(InternalKey.COMPARATOR);
        for (int i = 0; entries.size() < n; i++) {
            String user = String.format("user%07d", i);
            if (rnd.nextInt(10) == 0) {
                entries.put(ikey(user, 1 + rnd.nextInt(1000), ValueType.DELETION), new byte[0]);
                continue;
            }
            byte[] value = new byte[rnd.nextInt(200)];
            if (compressible) {
                byte[] half = new byte[(value.length + 1) / 2];
                rnd.nextBytes(half);
                for (int j = 0; j < value.length; j++) {
                    value[j] = half[j % half.length];
                }
            } else {
                rnd.nextBytes(value);
            }
            entries.put(ikey(user, 1 + rnd.nextInt(1000), ValueType.VALUE), value);
        }
        return entries;
    }

    private static byte type(Compression c) {
        return BlockCodec.type(c);
    }

    private long write(Path path, NavigableMap<byte[], byte[]> entries, int blockSize, Compression c)
            throws IOException {
        return SstTestSupport.writeTable(path, entries, blockSize, 16, 10, c);
    }

    private static void assertReadsBack(Table table, NavigableMap<byte[], byte[]> entries, String what) {
        try (InternalIterator it = table.iterator()) {
            it.seekToFirst();
            assertThat(drain(it)).as(what).containsExactlyElementsOf(show(entries));
        }
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            Table.Entry got = table.get(e.getKey());
            assertThat(got)
                    .as("%s: get %s", what, SstTestSupport.describeKey(e.getKey()))
                    .isNotNull();
            assertThat(show(got.key(), got.value())).as(what).isEqualTo(show(e.getKey(), e.getValue()));
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void roundTripsInEveryModeAndCompressesWhatShrinks(Compression c) throws IOException {
        long seed = SstTestSupport.seed("CompressionTest.roundTrip/" + c, 0xc0de0000L + c.ordinal());
        NavigableMap<byte[], byte[]> entries = data(new Random(seed), 5000, true);
        Path plain = dir.resolve("000001.sst");
        long plainSize = write(plain, entries, 4096, Compression.NONE);
        Path path = dir.resolve(NAME);
        long size = write(path, entries, 4096, c);

        List<Integer> types = SstTestSupport.blockTypes(Files.readAllBytes(path));
        System.out.printf(
                "CompressionTest: %s: %d bytes (uncompressed %d, ratio %.2f), %d data blocks%n",
                c, size, plainSize, (double) size / plainSize, types.size());
        assertThat(types).as("every data block is stored with %s", c).containsOnly((int) type(c));
        if (c == Compression.NONE) {
            assertThat(size).isEqualTo(plainSize);
        } else {
            // Half of each value repeats the other half; keys share prefixes.
            assertThat(size).as("compressed size").isLessThan(plainSize * 3 / 4);
        }
        try (Table table = SstTestSupport.open(path, size)) {
            assertReadsBack(table, entries, c + ", seed " + seed);
            assertThat(table.get(InternalKey.seekKey(bytes("absent"), InternalKey.MAX_SEQUENCE)))
                    .isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"LZ4", "ZSTD"})
    void blocksCompressionWouldNotShrinkByAnEighthAreStoredAsTheyAre(Compression c) throws IOException {
        long seed = SstTestSupport.seed("CompressionTest.incompressible/" + c, 0x5eed1L);
        NavigableMap<byte[], byte[]> entries = data(new Random(seed), 3000, false);
        long plainSize = write(dir.resolve("000001.sst"), entries, 4096, Compression.NONE);
        Path path = dir.resolve(NAME);
        long size = write(path, entries, 4096, c);
        assertThat(SstTestSupport.blockTypes(Files.readAllBytes(path))).containsOnly(0);
        assertThat(size).isEqualTo(plainSize);
        try (Table table = SstTestSupport.open(path, size)) {
            assertReadsBack(table, entries, c + ", seed " + seed);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"LZ4", "ZSTD"})
    void flippedByteInACompressedBlockIsCorruptionNamingFileAndOffset(Compression c) throws IOException {
        NavigableMap<byte[], byte[]> entries = data(new Random(7), 2000, true);
        Path path = dir.resolve(NAME);
        long size = write(path, entries, 1024, c);
        byte[] file = Files.readAllBytes(path);
        List<SstTestSupport.IndexEntry> index = SstTestSupport.index(file);
        int victim = index.size() / 2;
        BlockHandle h = index.get(victim).handle();
        assertThat(file[(int) (h.offset() + h.size())]).as("victim block type").isEqualTo(type(c));
        file[(int) (h.offset() + h.size() / 2)] ^= 0x10;

        try (Table table = Table.open(new MemReadableFile(file), NAME, size)) {
            byte[] last = index.get(victim).lastKey();
            assertThatThrownBy(() -> table.get(last))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(NAME)
                    .hasMessageContaining("offset " + h.offset());
            assertThat(table.get(index.get(victim - 1).lastKey())).isNotNull();
        }
    }

    /**
     * Damage that a checksum cannot see (the CRC is recomputed over the damaged bytes): the
     * codec must fail cleanly or produce something the block decoder checks. Whatever happens,
     * it is never an exception other than a CorruptionException naming the file and offset.
     */
    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"LZ4", "ZSTD"})
    void damagedCompressedBytesBehindAValidChecksumAreCorruptionNeverACodecError(Compression c) throws IOException {
        long seed = SstTestSupport.seed("CompressionTest.damagedPayload/" + c, 0xdead0000L + c.ordinal());
        Random rnd = new Random(seed);
        NavigableMap<byte[], byte[]> entries = data(rnd, 600, true);
        Path path = dir.resolve(NAME);
        long size = write(path, entries, 1024, c);
        byte[] original = Files.readAllBytes(path);
        List<SstTestSupport.IndexEntry> index = SstTestSupport.index(original);
        int corruptions = 0;
        int cases = 0;
        for (int b = 0; b < index.size(); b++) {
            BlockHandle h = index.get(b).handle();
            if (original[(int) (h.offset() + h.size())] != type(c)) {
                continue;
            }
            for (int trial = 0; trial < 40; trial++) {
                byte[] damaged = original.clone();
                byte[] stored = Arrays.copyOfRange(damaged, (int) h.offset(), (int) (h.offset() + h.size()));
                int flips = 1 + rnd.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    stored[rnd.nextInt(stored.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
                SstTestSupport.rewriteBlock(damaged, h, stored);
                cases++;
                int block = b;
                Throwable t = catchThrowable(() -> {
                    try (Table table = Table.open(new MemReadableFile(damaged), NAME, size);
                            InternalIterator it = table.iterator()) {
                        table.get(index.get(block).lastKey());
                        it.seekToFirst();
                        drain(it);
                    }
                });
                if (t != null) {
                    corruptions++;
                    assertThat(t)
                            .as("block %d trial %d, seed %d", b, trial, seed)
                            .isInstanceOf(CorruptionException.class)
                            .hasMessageContaining(NAME)
                            .hasMessageContaining("offset " + h.offset());
                }
            }
        }
        System.out.printf(
                "CompressionTest: %s: %d of %d damaged blocks reported as corruption%n", c, corruptions, cases);
        // Damage to literal bytes decodes to other bytes of the right length, which only the
        // (here forged) checksum could catch; damage to the codec's framing must be caught.
        assertThat(cases).isGreaterThan(100);
        assertThat(corruptions).as("damage the codec or the block decoder sees").isGreaterThan(cases / 5);
    }

    /**
     * A forged uncompressed-length prefix with a valid checksum: too big is refused before any
     * allocation; wrong but plausible fails the length check or the codec.
     */
    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"LZ4", "ZSTD"})
    void forgedUncompressedLengthIsCorruptionNamingFileAndOffset(Compression c) throws IOException {
        // One 4 MiB block, so that its length prefix takes 4 bytes and can be forged in place
        // to a length far above the limit.
        NavigableMap<byte[], byte[]> entries = data(new Random(11), 40_000, true);
        Path path = dir.resolve(NAME);
        long size = write(path, entries, 4 << 20, c);
        byte[] original = Files.readAllBytes(path);
        List<SstTestSupport.IndexEntry> index = SstTestSupport.index(original);
        BlockHandle h = index.get(0).handle();
        assertThat(original[(int) (h.offset() + h.size())]).isEqualTo(type(c));
        byte[] stored = Arrays.copyOfRange(original, (int) h.offset(), (int) (h.offset() + h.size()));
        int[] pos = {0};
        long length = Coding.getVarint64(stored, pos, stored.length);
        assertThat(pos[0]).as("prefix bytes of %d", length).isEqualTo(4);

        for (long forged :
                new long[] {(1L << 28) - 1, BlockCodec.MAX_UNCOMPRESSED_LENGTH + 1L, length + 1, length - 1, 0}) {
            byte[] damaged = original.clone();
            byte[] s = stored.clone();
            // Four bytes in place: continuation bits on the first three, as the writer does.
            for (int i = 0; i < 4; i++) {
                s[i] = (byte) (((forged >>> (7 * i)) & 0x7f) | (i < 3 ? 0x80 : 0));
            }
            SstTestSupport.rewriteBlock(damaged, h, s);
            try (Table table = Table.open(new MemReadableFile(damaged), NAME, size)) {
                assertThatThrownBy(() -> table.get(index.get(0).lastKey()))
                        .as("forged length %d", forged)
                        .isInstanceOf(CorruptionException.class)
                        .hasMessageContaining(NAME)
                        .hasMessageContaining("offset " + h.offset());
            }
        }
        byte[] damaged = original.clone();
        byte[] s = stored.clone();
        s[0] = (byte) 0xff;
        s[1] = (byte) 0xff;
        s[2] = (byte) 0xff;
        s[3] = (byte) 0x7f;
        SstTestSupport.rewriteBlock(damaged, h, s);
        try (Table table = Table.open(new MemReadableFile(damaged), NAME, size)) {
            assertThatThrownBy(() -> table.get(index.get(0).lastKey()))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("exceeds the limit");
        }
    }

    /** Prefixes that cannot even be decoded, or decode to absurd lengths, straight at the codec. */
    @Test
    void absurdLengthPrefixesAreRefusedBeforeAnyAllocation() {
        BlockHandle h = new BlockHandle(123, 0);
        byte[][] prefixes = {
            {
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                0x01
            }, // 2^64 - 1: negative as a long
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, // 2^32 - 1
            {(byte) 0x80, (byte) 0x80}, // truncated varint
            {},
        };
        for (byte type : new byte[] {BlockTrailer.LZ4, BlockTrailer.ZSTD}) {
            for (byte[] p : prefixes) {
                byte[] raw = Arrays.copyOf(p, p.length + 8);
                assertThatThrownBy(() -> BlockCodec.uncompress(type, raw, p.length, NAME, h))
                        .as("type %d prefix %s", type, Arrays.toString(p))
                        .isInstanceOf(CorruptionException.class)
                        .hasMessageContaining(NAME)
                        .hasMessageContaining("offset 123");
            }
        }
    }

    /**
     * A store opened with each compression in turn (and back): every table written under an
     * earlier setting is still read, and each setting shows in the blocks of the tables written
     * under it.
     */
    @Test
    void storeThatChangesCompressionAcrossReopensReadsAllItsData() throws IOException {
        long seed = SstTestSupport.seed("CompressionTest.switch", 0x5317c4L);
        Random rnd = new Random(seed);
        Path store = dir.resolve("store");
        TreeMap<String, byte[]> model = new TreeMap<>();
        Compression[] sequence = {
            Compression.NONE, Compression.LZ4, Compression.ZSTD, Compression.LZ4, Compression.NONE, Compression.ZSTD
        };
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int step = 0; step < sequence.length; step++) {
            Compression c = sequence[step];
            try (StrataDb db = StrataDb.open(
                    store,
                    TestOptions.withoutCompaction(
                            new Options().compression(c).blockCacheSize(step % 2 == 0 ? 0 : 1 << 20)))) {
                for (Map.Entry<String, byte[]> e : model.entrySet()) {
                    assertThat(db.get(bytes(e.getKey())))
                            .as("step %d (%s): %s, seed %d", step, c, e.getKey(), seed)
                            .isEqualTo(e.getValue());
                }
                assertThat(contents(db))
                        .as("step %d, seed %d", step, seed)
                        .containsExactlyElementsOf(model.entrySet().stream()
                                .map(e -> e.getKey() + "=" + HexFormat.of().formatHex(e.getValue()))
                                .toList());
                for (int i = 0; i < 1500; i++) {
                    String k = String.format("key%05d", rnd.nextInt(4000));
                    if (rnd.nextInt(8) == 0) {
                        db.delete(bytes(k));
                        model.remove(k);
                    } else {
                        byte[] v = new byte[rnd.nextInt(300)];
                        byte[] half = new byte[v.length / 2 + 1];
                        rnd.nextBytes(half);
                        for (int j = 0; j < v.length; j++) {
                            v[j] = half[j % half.length];
                        }
                        db.put(bytes(k), v);
                        model.put(k, v);
                    }
                }
                db.flush();
            }
            // The table just written shows this step's setting.
            long newest;
            try (java.util.stream.Stream<Path> files = Files.list(store)) {
                newest = files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".sst"))
                        .mapToLong(n -> Long.parseLong(n.substring(0, n.length() - 4)))
                        .max()
                        .orElseThrow();
            }
            List<Integer> types = SstTestSupport.blockTypes(Files.readAllBytes(store.resolve(FileNames.table(newest))));
            assertThat(types)
                    .as("blocks of %s written with %s", FileNames.table(newest), c)
                    .containsOnly((int) type(c));
            seen.add(c.name());
        }
        try (StrataDb db = StrataDb.open(store, TestOptions.withoutCompaction(new Options()))) {
            for (Map.Entry<String, byte[]> e : model.entrySet()) {
                assertThat(db.get(bytes(e.getKey())))
                        .as("%s, seed %d", e.getKey(), seed)
                        .isEqualTo(e.getValue());
            }
            assertThat(db.getProperty("strata.num-files-at-level0")).isEqualTo(String.valueOf(sequence.length));
        }
        assertThat(seen).hasSize(3);
    }

    private static List<String> contents(StrataDb db) {
        List<String> out = new ArrayList<>();
        try (StrataIterator it = db.iterator()) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                out.add(new String(it.key(), StandardCharsets.UTF_8) + "="
                        + HexFormat.of().formatHex(it.value()));
            }
        }
        return out;
    }

    /** Every single-byte flip in a compressed table is caught, by open or by reading its block. */
    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"LZ4", "ZSTD"})
    void everySingleByteFlipInACompressedTableIsDetected(Compression c) throws IOException {
        long seed = SstTestSupport.seed("CompressionTest.everyFlip/" + c, 0xf11b0L + c.ordinal());
        Random rnd = new Random(seed);
        NavigableMap<byte[], byte[]> entries = data(rnd, 300, true);
        Path path = dir.resolve(NAME);
        write(path, entries, 512, c);
        byte[] original = Files.readAllBytes(path);
        assertThat(SstTestSupport.blockTypes(original)).contains((int) type(c));
        List<String> expected = show(entries);
        for (int pos = 0; pos < original.length; pos++) {
            byte[] damaged = original.clone();
            damaged[pos] ^= (byte) (1 + rnd.nextInt(255));
            Throwable t = catchThrowable(() -> {
                try (Table table = Table.open(new MemReadableFile(damaged), NAME, damaged.length);
                        InternalIterator it = table.iterator()) {
                    it.seekToFirst();
                    assertThat(drain(it)).containsExactlyElementsOf(expected);
                }
            });
            assertThat(t)
                    .as("flip at %d of %d, seed %d", pos, original.length, seed)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(NAME);
        }
    }

    /** The expansion bound on the length prefix must admit the most compressible contents. */
    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"LZ4", "ZSTD"})
    void mostCompressibleBlockRoundTrips(Compression c) {
        byte[] contents = new byte[8 * 1024 * 1024];
        BlockCodec.Compressor compressor = new BlockCodec.Compressor(c);
        int stored = compressor.compress(contents);
        assertThat(stored).isPositive();
        byte[] raw = Arrays.copyOf(compressor.buffer(), stored);
        byte[] out = BlockCodec.uncompress(compressor.type(), raw, stored, NAME, new BlockHandle(0, stored));
        assertThat(out).isEqualTo(contents);
    }

    @Test
    void lengthPrefixBeyondWhatTheStoredBytesCanHoldIsCorruption() {
        byte[] raw = new byte[16];
        int p = Coding.putVarint64(raw, 0, 60L * 1024 * 1024);
        raw[p] = 0x10;
        assertThatThrownBy(() ->
                        BlockCodec.uncompress(BlockTrailer.LZ4, raw, raw.length, NAME, new BlockHandle(0, raw.length)))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("stored bytes can hold");
    }
}
