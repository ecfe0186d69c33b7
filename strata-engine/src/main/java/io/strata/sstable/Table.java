package io.strata.sstable;

import io.strata.CorruptionException;
import io.strata.NotCachedException;
import io.strata.StrataException;
import io.strata.fs.ReadableFile;
import io.strata.iterator.InternalIterator;
import io.strata.iterator.TwoLevelIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
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

    /**
     * Each thread's cursors for point lookups (the index block's and a data block's) and the
     * position a block handle is decoded with: reused, so that a lookup in cached blocks
     * allocates nothing but what it returns. A lookup runs no code of its caller between its
     * first and last use of them, so one set per thread serves.
     */
    private static final class Lookup {
        final Block.Cursor index = new Block.Cursor();
        final Block.Cursor data = new Block.Cursor();
        final int[] pos = new int[1];
    }

    private static final ThreadLocal<Lookup> LOOKUP = ThreadLocal.withInitial(Lookup::new);

    private final ReadableFile file;
    private final String name;
    private final long fileNumber;
    private final Footer footer;
    private final Block index;
    private final byte[] filter;
    private final CachedBlocks cache;
    /** Names the index in error messages (made once: a lookup builds no strings). */
    private final String indexWhere;

    private Table(
            ReadableFile file,
            String name,
            long fileNumber,
            Footer footer,
            Block index,
            byte[] filter,
            CachedBlocks cache) {
        this.file = file;
        this.name = name;
        this.fileNumber = fileNumber;
        this.footer = footer;
        this.index = index;
        this.filter = filter;
        this.cache = cache;
        this.indexWhere = name + " index";
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
        byte[] filter = readContents(file, name, footer.filter()).exact();
        return new Table(file, name, fileNumber, footer, index, filter, cache);
    }

    /** A block's contents: the first {@code length} bytes of {@code data}. */
    private record Contents(byte[] data, int length) {
        /** The contents in an array of their own length (a copy only if the array is longer). */
        byte[] exact() {
            return data.length == length ? data : Arrays.copyOf(data, length);
        }
    }

    /**
     * Reads the block at {@code handle}, verifies its trailer (checksum, compression type) and
     * decompresses it if it was stored compressed: the one way every block of a table is read.
     */
    private static Contents readContents(ReadableFile file, String name, BlockHandle handle) throws IOException {
        byte[] raw = new byte[Math.toIntExact(handle.size() + BlockTrailer.LENGTH)];
        file.readFully(handle.offset(), raw, 0, raw.length);
        byte type = BlockTrailer.verify(raw, name, handle);
        int n = raw.length - BlockTrailer.LENGTH;
        if (type == BlockTrailer.NO_COMPRESSION) {
            return new Contents(raw, n);
        }
        byte[] contents = BlockCodec.uncompress(type, raw, n, name, handle);
        return new Contents(contents, contents.length);
    }

    /** The block at {@code handle}, read as {@link #readContents} reads it. */
    private static Block readBlock(ReadableFile file, String name, BlockHandle handle) throws IOException {
        Contents c = readContents(file, name, handle);
        return new Block(c.data(), c.length(), where(name, handle));
    }

    private static String where(String name, BlockHandle handle) {
        return name + " block at offset " + handle.offset();
    }

    private Block readDataBlock(byte[] encodedHandle) {
        return readDataBlock(BlockHandle.decode(encodedHandle, indexWhere));
    }

    /**
     * {@code handle} if the block it names lies in the data area, before the filter block (the
     * builder writes every data block there); otherwise a {@link CorruptionException} saying
     * that {@code what} names a block outside it.
     */
    BlockHandle inDataArea(BlockHandle handle, String what) {
        checkInDataArea(handle.offset(), handle.size(), what);
        return handle;
    }

    private void checkInDataArea(long offset, long size, String what) {
        long end = footer.filter().offset();
        if (size > end || offset > end - size - BlockTrailer.LENGTH) {
            throw new CorruptionException(name + ": " + what + " names a block outside the data area (offset " + offset
                    + ", size " + size + ")");
        }
    }

    /** Reads and verifies the data block at {@code handle}, which must lie in the data area. */
    Block readDataBlock(BlockHandle handle) {
        return readDataBlock(handle.offset(), handle.size(), false);
    }

    /** @param cachedOnly read no file: throw {@link NotCachedException} if the block cache does not hold the block */
    private Block readDataBlock(long offset, long size, boolean cachedOnly) {
        checkInDataArea(offset, size, "the index");
        if (cache != null) {
            Block cached = cache.get(fileNumber, offset);
            if (cached != null) {
                return cached;
            }
        }
        if (cachedOnly) {
            throw new NotCachedException();
        }
        Block block;
        try {
            block = readBlock(file, name, new BlockHandle(offset, size));
        } catch (IOException e) {
            throw new StrataException(name + ": read failed at offset " + offset + ": " + e.getMessage(), e);
        }
        if (cache != null) {
            cache.put(fileNumber, offset, block);
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
        Block.Cursor c = find(seekKey, false);
        return c == null ? null : new Entry(c.key(), c.value());
    }

    /**
     * What {@link #get} finds, as the store's read path needs it: the value, {@link ValueType#DELETED} for
     * a deletion, or null if the table has no entry for the key at or below the seek key's
     * sequence. Allocates only the value when the blocks are cached.
     *
     * @param cachedOnly read no file: throw {@link NotCachedException} if the block cache does not hold the block
     */
    public byte[] getValue(byte[] seekKey, boolean cachedOnly) {
        Block.Cursor c = find(seekKey, cachedOnly);
        if (c == null) {
            return null;
        }
        return (c.trailer() & 0xff) == ValueType.VALUE ? c.value() : ValueType.DELETED;
    }

    /** This thread's data-block cursor on the entry {@link #get} answers with, or null. */
    private Block.Cursor find(byte[] seekKey, boolean cachedOnly) {
        if (!BloomFilter.mayContain(filter, seekKey, InternalKey.userKeyLength(seekKey))) {
            return null;
        }
        Lookup lookup = LOOKUP.get();
        Block.Cursor idx = lookup.index.reset(index);
        idx.seek(seekKey);
        if (!idx.valid()) {
            return null;
        }
        byte[] v = idx.valueArray();
        int end = idx.valueOffset() + idx.valueLength();
        lookup.pos[0] = idx.valueOffset();
        long offset = BlockHandle.offset(v, lookup.pos, end, indexWhere);
        Block data = readDataBlock(offset, BlockHandle.size(v, lookup.pos, end, indexWhere), cachedOnly);
        Block.Cursor it = lookup.data.reset(data);
        it.seek(seekKey);
        return it.valid() && it.sameUserKey(seekKey) ? it : null;
    }

    /** All entries in internal-key order. */
    public InternalIterator iterator() {
        return new TwoLevelIterator(
                index.iterator(), handle -> readDataBlock(handle).iterator());
    }

    public String name() {
        return name;
    }

    /** The footer as decoded at open, for {@link TableInspector}. */
    Footer footer() {
        return footer;
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
