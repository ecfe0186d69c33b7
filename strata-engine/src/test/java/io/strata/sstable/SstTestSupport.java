package io.strata.sstable;

import io.strata.Compression;
import io.strata.fs.LocalFileSystem;
import io.strata.fs.WritableFile;
import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Helpers shared by the sstable tests ({@link #seed} by the memtable tests too). */
public final class SstTestSupport {
    private SstTestSupport() {}

    /**
     * The seed for a randomized test: {@code defaultSeed} unless {@code -Dstrata.test.seed=N}
     * is given. Printed so a failure can be replayed.
     */
    public static long seed(String test, long defaultSeed) {
        long seed = Long.getLong("strata.test.seed", defaultSeed);
        System.out.println(test + " seed " + seed + " (replay with -Dstrata.test.seed=" + seed + ")");
        return seed;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] ikey(String userKey, long seq, int type) {
        return InternalKey.encode(bytes(userKey), seq, type);
    }

    /** Printable form of an entry, so list comparisons show readable diffs. */
    static String show(byte[] key, byte[] value) {
        return describeKey(key) + "=" + HexFormat.of().formatHex(value);
    }

    static String describeKey(byte[] ikey) {
        if (ikey.length < InternalKey.TRAILER_SIZE) {
            return "short:" + HexFormat.of().formatHex(ikey);
        }
        return new String(InternalKey.userKey(ikey), StandardCharsets.ISO_8859_1) + "@" + InternalKey.sequence(ikey)
                + "/" + InternalKey.type(ikey);
    }

    static List<String> show(Map<byte[], byte[]> entries) {
        List<String> out = new ArrayList<>(entries.size());
        entries.forEach((k, v) -> out.add(show(k, v)));
        return out;
    }

    /** Writes {@code entries} (in order) as a table at {@code path}; returns the file size. */
    static long writeTable(
            Path path, Map<byte[], byte[]> entries, int blockSize, int restartInterval, int bloomBitsPerKey)
            throws IOException {
        return writeTable(path, entries, blockSize, restartInterval, bloomBitsPerKey, Compression.NONE);
    }

    /** As above, with data blocks compressed by {@code compression} where that pays. */
    static long writeTable(
            Path path,
            Map<byte[], byte[]> entries,
            int blockSize,
            int restartInterval,
            int bloomBitsPerKey,
            Compression compression)
            throws IOException {
        try (WritableFile f = LocalFileSystem.INSTANCE.create(path)) {
            TableBuilder b = new TableBuilder(
                    f, path.getFileName().toString(), blockSize, restartInterval, bloomBitsPerKey, compression);
            for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
                b.add(e.getKey(), e.getValue());
            }
            long size = b.finish();
            f.sync();
            if (size != f.size()) {
                throw new AssertionError("finish() returned " + size + " but wrote " + f.size());
            }
            return size;
        }
    }

    static Table open(Path path, long size) throws IOException {
        return Table.open(
                LocalFileSystem.INSTANCE.openReadable(path), path.getFileName().toString(), size);
    }

    /** An index entry of a table: the last key of a data block and the block's handle. */
    record IndexEntry(byte[] lastKey, BlockHandle handle) {}

    /** Reads the index of a well-formed table image, independently of {@link Table}. */
    static List<IndexEntry> index(byte[] file) {
        long dataEnd = (long) file.length - Footer.LENGTH;
        Footer footer = Footer.decode(Arrays.copyOfRange(file, (int) dataEnd, file.length), dataEnd, "t");
        BlockHandle h = footer.index();
        byte[] contents = Arrays.copyOfRange(file, (int) h.offset(), (int) (h.offset() + h.size()));
        List<IndexEntry> out = new ArrayList<>();
        try (InternalIterator it = new Block(contents, contents.length, "index").iterator()) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                out.add(new IndexEntry(it.key(), BlockHandle.decode(it.value(), "index")));
            }
        }
        return out;
    }

    /** The trailer's compression type byte of each data block of a well-formed table image. */
    static List<Integer> blockTypes(byte[] file) {
        List<Integer> out = new ArrayList<>();
        for (IndexEntry e : index(file)) {
            out.add(file[(int) (e.handle().offset() + e.handle().size())] & 0xff);
        }
        return out;
    }

    /**
     * Replaces the stored bytes of the block at {@code h} (same length) and gives it a valid
     * checksum for its type byte, as a bug in a writer could: the CRC cannot catch it.
     */
    static void rewriteBlock(byte[] file, BlockHandle h, byte[] stored) {
        if (stored.length != h.size()) {
            throw new IllegalArgumentException("stored length " + stored.length + " != " + h.size());
        }
        int off = (int) h.offset();
        System.arraycopy(stored, 0, file, off, stored.length);
        byte type = file[off + stored.length];
        byte[] trailer = BlockTrailer.encode(stored, stored.length, type);
        System.arraycopy(trailer, 0, file, off + stored.length, trailer.length);
    }

    /** All entries of an iterator from its current position, in printable form. */
    static List<String> drain(InternalIterator it) {
        List<String> out = new ArrayList<>();
        for (; it.valid(); it.next()) {
            out.add(show(it.key(), it.value()));
        }
        return out;
    }
}
