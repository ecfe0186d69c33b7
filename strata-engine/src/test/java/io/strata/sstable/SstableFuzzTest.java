package io.strata.sstable;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.strata.Compression;
import io.strata.CorruptionException;
import io.strata.fuzz.FuzzSupport;
import io.strata.fuzz.FuzzSupport.MemReadableFile;
import io.strata.fuzz.FuzzSupport.MemWritableFile;
import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Fuzz targets for the table format: a whole table file ({@link Table#open}, full iteration,
 * gets), one block ({@link Block} and its iterator) and the footer ({@link Footer#decode}) over
 * arbitrary bytes. Only {@link CorruptionException} may come out; iteration must end and the
 * allocation must stay within what the input explains. Seeds: {@code SstableFuzzTestInputs/<method>/}.
 */
class SstableFuzzTest {
    @FuzzTest
    void table(byte[] input) throws Exception {
        FuzzSupport.expectOnlyCorruption(input.length, () -> {
            try (Table table = Table.open(new MemReadableFile(input), "fuzz.sst", input.length)) {
                List<byte[]> keys = new ArrayList<>();
                long steps = 0;
                long limit = (long) input.length * input.length + 16;
                try (InternalIterator it = table.iterator()) {
                    for (it.seekToFirst(); it.valid(); it.next()) {
                        FuzzSupport.checkSteps(++steps, limit, "table iteration");
                        byte[] key = it.key();
                        if (key.length < InternalKey.TRAILER_SIZE) {
                            throw new AssertionError("iterator returned a key of " + key.length + " bytes");
                        }
                        it.value();
                        if (keys.size() < 4) {
                            keys.add(key);
                        }
                    }
                }
                keys.add(InternalKey.seekKey("a".getBytes(StandardCharsets.UTF_8), InternalKey.MAX_SEQUENCE));
                keys.add(InternalKey.seekKey(new byte[0], InternalKey.MAX_SEQUENCE));
                for (byte[] key : keys) {
                    table.get(InternalKey.seekKey(InternalKey.userKey(key), InternalKey.MAX_SEQUENCE));
                    table.mayContain(InternalKey.userKey(key));
                }
            }
        });
    }

    /**
     * As {@link #table}, but with the footer's magic, version and checksum and every block
     * trailer's checksum the footer and index name set right first, so the fuzzer reaches what
     * lies behind them (index handles, filter, data blocks, decompression). Seeds:
     * {@code SstableFuzzTestInputs/tableWithChecksumsFixed/}.
     */
    @FuzzTest
    void tableWithChecksumsFixed(byte[] input) throws Exception {
        byte[] fixed = input.clone();
        fixChecksums(fixed);
        table(fixed);
    }

    private static void fixChecksums(byte[] t) {
        if (t.length < Footer.LENGTH) {
            return;
        }
        int f = t.length - Footer.LENGTH;
        io.strata.util.Coding.putFixed32(t, f + 32, Footer.VERSION);
        io.strata.util.Coding.putFixed64(t, f + 40, Footer.MAGIC);
        io.strata.util.Coding.putFixed32(t, f + 36, io.strata.util.Checksums.crc32c(t, f, 36));
        Footer footer;
        try {
            footer = Footer.decode(Arrays.copyOfRange(t, f, t.length), f, "fix");
        } catch (CorruptionException e) {
            return;
        }
        fixTrailer(t, footer.filter());
        fixTrailer(t, footer.index());
        try {
            Block index = new Block(
                    Arrays.copyOfRange(t, (int) footer.index().offset(), (int)
                            (footer.index().offset() + footer.index().size())),
                    (int) footer.index().size(),
                    "fix");
            int n = 0;
            try (InternalIterator it = index.iterator()) {
                for (it.seekToFirst(); it.valid() && n < 1000; it.next(), n++) {
                    BlockHandle h = BlockHandle.decode(it.value(), "fix");
                    if (h.size() <= f && h.offset() <= f - h.size() - BlockTrailer.LENGTH) {
                        fixTrailer(t, h);
                    }
                }
            }
        } catch (CorruptionException e) {
            // the index itself is malformed: leave the data blocks as they are
        }
    }

    /** Sets the trailer's checksum of the block at {@code h} (keeping its type byte). */
    private static void fixTrailer(byte[] t, BlockHandle h) {
        int end = (int) (h.offset() + h.size());
        io.strata.util.Coding.putFixed32(
                t, end + 1, io.strata.util.Checksums.crc32c(t, (int) h.offset(), (int) h.size() + 1));
    }

    @FuzzTest
    void block(byte[] input) throws Exception {
        FuzzSupport.expectOnlyCorruption(input.length, () -> {
            Block block = new Block(input, input.length, "fuzz block");
            List<byte[]> keys = new ArrayList<>();
            long steps = 0;
            try (InternalIterator it = block.iterator()) {
                for (it.seekToFirst(); it.valid(); it.next()) {
                    // every entry takes at least three bytes (its three varints)
                    FuzzSupport.checkSteps(++steps, input.length / 3 + 1, "block iteration");
                    it.value();
                    if (keys.size() < 4) {
                        keys.add(it.key());
                    }
                }
            }
            keys.add(InternalKey.seekKey("m".getBytes(StandardCharsets.UTF_8), 7));
            for (byte[] key : keys) {
                try (InternalIterator it = block.iterator()) {
                    it.seek(key);
                    if (it.valid() && InternalKey.compare(it.key(), key) < 0) {
                        throw new AssertionError("seek landed before its target");
                    }
                }
            }
        });
    }

    /**
     * A stored block past its checksum: the first byte picks the codec (LZ4 or Zstd), the rest is
     * the stored bytes (uncompressed length varint, then the codec's output). The table target
     * rarely gets here, as random bytes fail the block checksum first.
     */
    @FuzzTest
    void compressedBlock(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        byte type = (input[0] & 1) == 0 ? BlockTrailer.LZ4 : BlockTrailer.ZSTD;
        byte[] raw = Arrays.copyOfRange(input, 1, input.length);
        // the output may legitimately be as large as the codec can expand the stored bytes
        long output = (long) raw.length * BlockCodec.maxExpansion(type) + 64;
        FuzzSupport.expectOnlyCorruption(input.length, 2 * output, () -> {
            byte[] contents = BlockCodec.uncompress(type, raw, raw.length, "fuzz.sst", new BlockHandle(0, raw.length));
            new Block(contents, contents.length, "fuzz block").iterator().seekToFirst();
        });
    }

    @FuzzTest
    void footer(byte[] input) throws Exception {
        for (long dataEnd : new long[] {0, input.length, 1L << 20, Long.MAX_VALUE}) {
            FuzzSupport.expectOnlyCorruption(input.length, () -> {
                Footer f = Footer.decode(input, dataEnd, "fuzz.sst");
                for (BlockHandle h : new BlockHandle[] {f.filter(), f.index()}) {
                    if (h.offset() < 0
                            || h.size() < 0
                            || h.offset() + h.size() + BlockTrailer.LENGTH > dataEnd
                            || h.offset() + h.size() + BlockTrailer.LENGTH < 0) {
                        throw new AssertionError("footer accepted handle " + h + " for data end " + dataEnd);
                    }
                }
            });
        }
    }

    /** Writes the seed corpora with the real builders: {@code main <test resources dir>}. */
    public static void main(String[] args) throws IOException {
        Path base = Path.of(args[0], "io/strata/sstable/SstableFuzzTestInputs");
        Path tables = Files.createDirectories(base.resolve("table"));
        Path blocks = Files.createDirectories(base.resolve("block"));
        Path footers = Files.createDirectories(base.resolve("footer"));
        Path compressed = Files.createDirectories(base.resolve("compressedBlock"));
        for (Compression c : Compression.values()) {
            byte[] t = table(c, 40, 256);
            Files.write(tables.resolve("small-" + c.name().toLowerCase(Locale.ROOT)), t);
            Files.write(
                    footers.resolve("footer-" + c.name().toLowerCase(Locale.ROOT)),
                    Arrays.copyOfRange(t, t.length - Footer.LENGTH, t.length));
        }
        Files.write(tables.resolve("one-entry"), table(Compression.NONE, 1, 4096));
        Path fixedTables = Files.createDirectories(base.resolve("tableWithChecksumsFixed"));
        for (Compression c : Compression.values()) {
            Files.write(fixedTables.resolve("small-" + c.name().toLowerCase(Locale.ROOT)), table(c, 40, 256));
        }
        BlockBuilder b = new BlockBuilder(4);
        for (int i = 0; i < 20; i++) {
            b.add(key(i), ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        byte[] contents = b.finish();
        Files.write(blocks.resolve("twenty-entries"), contents);
        for (Compression c : new Compression[] {Compression.LZ4, Compression.ZSTD}) {
            BlockCodec.Compressor compressor = new BlockCodec.Compressor(c);
            int n = compressor.compress(contents);
            byte[] seed = new byte[n + 1];
            seed[0] = (byte) (c == Compression.LZ4 ? 0 : 1);
            System.arraycopy(compressor.buffer(), 0, seed, 1, n);
            Files.write(compressed.resolve(c.name().toLowerCase(Locale.ROOT)), seed);
        }
        BlockBuilder one = new BlockBuilder(1);
        one.add(key(3), new byte[0]);
        Files.write(blocks.resolve("one-entry"), one.finish());
    }

    private static byte[] key(int i) {
        return InternalKey.encode(
                String.format("key%04d", i).getBytes(StandardCharsets.UTF_8),
                100 + i,
                i % 5 == 0 ? ValueType.DELETION : ValueType.VALUE);
    }

    private static byte[] table(Compression c, int entries, int blockSize) throws IOException {
        MemWritableFile file = new MemWritableFile();
        TableBuilder builder = new TableBuilder(file, "seed.sst", blockSize, 4, 10, c);
        for (int i = 0; i < entries; i++) {
            builder.add(key(i), ("value-" + i + "-".repeat(i % 7)).getBytes(StandardCharsets.UTF_8));
        }
        builder.finish();
        return file.bytes();
    }
}
