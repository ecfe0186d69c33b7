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
 * in memory; data blocks are read on demand with positional reads, so one Table serves any
 * number of threads without locking. Every block read is checked against its CRC32C.
 */
public final class Table implements Closeable {
    /** One entry as stored: internal key (with sequence and type) and value. */
    public record Entry(byte[] key, byte[] value) {}

    private final ReadableFile file;
    private final String name;
    private final long dataEnd;
    private final Block index;
    private final byte[] filter;

    private Table(ReadableFile file, String name, long dataEnd, Block index, byte[] filter) {
        this.file = file;
        this.name = name;
        this.dataEnd = dataEnd;
        this.index = index;
        this.filter = filter;
    }

    /**
     * Opens the table in {@code file}, whose size the MANIFEST recorded as {@code size}.
     *
     * @throws CorruptionException if the file is shorter than recorded or fails a check
     */
    public static Table open(ReadableFile file, String name, long size) throws IOException {
        long actual = file.size();
        if (actual < size || size < Footer.LENGTH) {
            throw new CorruptionException(name + ": file is " + actual + " bytes, expected "
                    + size + " (truncated table)");
        }
        byte[] footerBytes = new byte[Footer.LENGTH];
        long dataEnd = size - Footer.LENGTH;
        file.readFully(dataEnd, footerBytes, 0, Footer.LENGTH);
        Footer footer = Footer.decode(footerBytes, dataEnd, name);
        byte[] raw = readRaw(file, name, footer.index());
        Block index = new Block(raw, BlockTrailer.verify(raw, name, footer.index()), where(name, footer.index()));
        raw = readRaw(file, name, footer.filter());
        byte[] filter = Arrays.copyOf(raw, BlockTrailer.verify(raw, name, footer.filter()));
        return new Table(file, name, dataEnd, index, filter);
    }

    private static byte[] readRaw(ReadableFile file, String name, BlockHandle handle) throws IOException {
        byte[] raw = new byte[Math.toIntExact(handle.size() + BlockTrailer.LENGTH)];
        file.readFully(handle.offset(), raw, 0, raw.length);
        return raw;
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
            throw new CorruptionException(name + ": index names a block outside the file (offset "
                    + handle.offset() + ", size " + handle.size() + ")");
        }
        try {
            byte[] raw = readRaw(file, name, handle);
            return new Block(raw, BlockTrailer.verify(raw, name, handle), where(name, handle));
        } catch (IOException e) {
            throw new StrataException(name + ": read failed at offset " + handle.offset() + ": "
                    + e.getMessage(), e);
        }
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
        return new TwoLevelIterator(index.iterator(), handle -> readDataBlock(handle).iterator());
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

    @Override
    public void close() throws IOException {
        file.close();
    }
}
