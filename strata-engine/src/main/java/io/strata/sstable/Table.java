package io.strata.sstable;

import io.strata.CorruptionException;
import io.strata.StrataException;
import io.strata.fs.ReadableFile;
import io.strata.iterator.InternalIterator;
import io.strata.iterator.TwoLevelIterator;
import io.strata.key.InternalKey;
import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;

/**
 * An open SSTable. The footer, index block and filter are read and verified at open and kept
 * in memory; data blocks are read on demand with positional reads (and kept in the store's
 * block cache, if it has one), so one Table serves any number of threads without locking.
 * Every block read is checked against its CRC32C, then decompressed if it was stored
 * compressed.
 */
public final class Table implements Closeable {
    /** One entry as stored: internal key (with sequence and type) and value. */
    public record Entry(byte[] key, byte[] value) {}

    private final ReadableFile file;
    private final String name;
    private final long fileNumber;
    private final long dataEnd;
    private final Block index;
    private final byte[] filter;
    private final CachedBlocks cache;

    private Table(
            ReadableFile file,
            String name,
            long fileNumber,
            long dataEnd,
            Block index,
            byte[] filter,
            CachedBlocks cache) {
        this.file = file;
        this.name = name;
        this.fileNumber = fileNumber;
        this.dataEnd = dataEnd;
        this.index = index;
        this.filter = filter;
        this.cache = cache;
    }

    /** Opens a table without a block cache (see {@link #open(ReadableFile, String, long, long, CachedBlocks)}). */
    public static Table open(ReadableFile file, String name, long size) throws IOException {
        return open(file, name, size, -1, null);
    }

    /**
     * Opens the table in {@code file}, whose size the MANIFEST recorded as {@code size}. Its
     * data blocks are kept in {@code cache} (null: none) under {@code fileNumber}. On success
     * the table owns {@code file} (closing the table closes it); if this throws, the caller
     * still owns it.
     *
     * @throws CorruptionException if the file is shorter than recorded or fails a check
     */
    public static Table open(ReadableFile file, String name, long size, long fileNumber, CachedBlocks cache)
            throws IOException {
        long actual = file.size();
        if (actual < size || size < Footer.LENGTH) {
            throw new CorruptionException(
                    name + ": file is " + actual + " bytes, expected " + size + " (truncated table)");
        }
        byte[] footerBytes = new byte[Footer.LENGTH];
        long dataEnd = size - Footer.LENGTH;
        file.readFully(dataEnd, footerBytes, 0, Footer.LENGTH);
        Footer footer = Footer.decode(footerBytes, dataEnd, name);
        Block index = readBlock(file, name, footer.index());
        byte[] raw = readRaw(file, footer.filter());
        byte type = BlockTrailer.verify(raw, name, footer.filter());
        int n = raw.length - BlockTrailer.LENGTH;
        byte[] filter = type == BlockTrailer.NO_COMPRESSION
                ? Arrays.copyOf(raw, n)
                : BlockCodec.uncompress(type, raw, n, name, footer.filter());
        return new Table(file, name, fileNumber, dataEnd, index, filter, cache);
    }

    private static byte[] readRaw(ReadableFile file, BlockHandle handle) throws IOException {
        byte[] raw = new byte[Math.toIntExact(handle.size() + BlockTrailer.LENGTH)];
        file.readFully(handle.offset(), raw, 0, raw.length);
        return raw;
    }

    /** Reads, verifies and (if stored compressed) decompresses the block at {@code handle}. */
    private static Block readBlock(ReadableFile file, String name, BlockHandle handle) throws IOException {
        byte[] raw = readRaw(file, handle);
        byte type = BlockTrailer.verify(raw, name, handle);
        int n = raw.length - BlockTrailer.LENGTH;
        if (type == BlockTrailer.NO_COMPRESSION) {
            return new Block(raw, n, where(name, handle));
        }
        byte[] contents = BlockCodec.uncompress(type, raw, n, name, handle);
        return new Block(contents, contents.length, where(name, handle));
    }

    private static String where(String name, BlockHandle handle) {
        return name + " block at offset " + handle.offset();
    }

    private Block readDataBlock(byte[] encodedHandle) {
        return readDataBlock(BlockHandle.decode(encodedHandle, name + " index"));
    }

    /** Reads and verifies the data block at {@code handle}, which must lie in the data area. */
    Block readDataBlock(BlockHandle handle) {
        if (handle.size() > dataEnd || handle.offset() > dataEnd - handle.size() - BlockTrailer.LENGTH) {
            throw new CorruptionException(name + ": index names a block outside the file (offset " + handle.offset()
                    + ", size " + handle.size() + ")");
        }
        if (cache != null) {
            Block cached = cache.get(fileNumber, handle.offset());
            if (cached != null) {
                return cached;
            }
        }
        Block block;
        try {
            block = readBlock(file, name, handle);
        } catch (IOException e) {
            throw new StrataException(name + ": read failed at offset " + handle.offset() + ": " + e.getMessage(), e);
        }
        if (cache != null) {
            cache.put(fileNumber, handle.offset(), block);
        }
        return block;
    }

    /** Whether the table may hold {@code userKey}; false is certain (bloom filter). */
    public boolean mayContain(byte[] userKey) {
        return BloomFilter.mayContain(filter, userKey);
    }

    /**
     * The first entry at or after {@code seekKey} if it has the same user key (that is, the
     * newest version visible at the seek key's sequence), or null.
     */
    public Entry get(byte[] seekKey) {
        if (!mayContain(InternalKey.userKey(seekKey))) {
            return null;
        }
        try (InternalIterator idx = index.iterator()) {
            idx.seek(seekKey);
            if (!idx.valid()) {
                return null;
            }
            try (InternalIterator it = readDataBlock(idx.value()).iterator()) {
                it.seek(seekKey);
                if (it.valid() && InternalKey.sameUserKey(it.key(), seekKey)) {
                    return new Entry(it.key(), it.value());
                }
                return null;
            }
        }
    }

    /** All entries in internal-key order. */
    public InternalIterator iterator() {
        return new TwoLevelIterator(
                index.iterator(), handle -> readDataBlock(handle).iterator());
    }

    public String name() {
        return name;
    }

    /** The index block, for {@link TableInspector}. */
    Block indexBlock() {
        return index;
    }

    /** The filter block's contents, for {@link TableInspector}. */
    byte[] filter() {
        return filter;
    }

    /** Bytes of the index block and filter this table keeps in memory while it is open. */
    public long pinnedBytes() {
        return (long) index.charge() + filter.length;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
