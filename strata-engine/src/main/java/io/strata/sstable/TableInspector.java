package io.strata.sstable;

import io.strata.CorruptionException;
import io.strata.fs.FileSystem;
import io.strata.fs.LocalFileSystem;
import io.strata.fs.ReadableFile;
import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Read-only access to an SSTable's structure, for tools ({@code strata sst dump},
 * {@code strata db verify}): the footer's figures, the index (one {@link DataBlock} per data
 * block), each block's entries, and a check of every block. It reads through {@link Table},
 * so blocks are read and verified exactly as the engine reads them.
 *
 * <p>Opening verifies the footer, the index block and the filter block (a failure raises
 * {@link CorruptionException} naming the file); data blocks are read only when asked for.
 * Not thread-safe.
 */
public final class TableInspector implements Closeable {
    /** A data block as the index names it: its position in the table, handle and index key. */
    public record DataBlock(int number, long offset, long size, byte[] indexKey) {}

    /** What a check of one data block found: its entry and tombstone counts, first and last keys. */
    public record BlockSummary(long entries, long tombstones, byte[] firstKey, byte[] lastKey) {}

    /** A table's figures; all but the footer's come from reading every data block. */
    public record Properties(
            long fileSize,
            int formatVersion,
            int dataBlocks,
            long entries,
            long tombstones,
            byte[] smallestKey,
            byte[] largestKey,
            long dataSize,
            long filterSize,
            int filterProbes,
            long indexSize) {}

    private final Table table;
    private final long fileSize;
    private List<DataBlock> blocks;

    private TableInspector(Table table, long fileSize) {
        this.table = table;
        this.fileSize = fileSize;
    }

    /** Opens the table file at {@code path} on the local file system, taking its size as it is. */
    public static TableInspector open(Path path) throws IOException {
        return open(LocalFileSystem.INSTANCE, path, -1);
    }

    /**
     * Opens the table file at {@code path}. {@code expectedSize} is the size the MANIFEST
     * records, or -1 to take the file's size: a file of another size is reported as corrupt.
     * The inspector owns the file handle it opens.
     */
    public static TableInspector open(FileSystem fs, Path path, long expectedSize) throws IOException {
        ReadableFile file = fs.openReadable(path);
        try {
            return open(file, path.getFileName().toString(), expectedSize);
        } catch (IOException | RuntimeException e) {
            try {
                file.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Opens a table over {@code file}, which the inspector then owns (see the other open). */
    public static TableInspector open(ReadableFile file, String name, long expectedSize) throws IOException {
        long actual = file.size();
        if (expectedSize < 0 && actual < Footer.LENGTH) {
            throw new CorruptionException(
                    name + ": not an SSTable (" + actual + " bytes, shorter than a table footer)");
        }
        if (expectedSize >= 0 && actual != expectedSize) {
            throw new CorruptionException(
                    name + ": file is " + actual + " bytes, but the MANIFEST records " + expectedSize);
        }
        long size = expectedSize >= 0 ? expectedSize : actual;
        Table table = Table.open(file, name, size);
        return new TableInspector(table, size);
    }

    public String name() {
        return table.name();
    }

    /** The open table itself (lookups, a full iterator). */
    public Table table() {
        return table;
    }

    public long fileSize() {
        return fileSize;
    }

    public int formatVersion() {
        return Footer.VERSION;
    }

    /** Size of the filter block's contents (0 when the table has no filter). */
    public long filterSize() {
        return table.footer().filter().size();
    }

    /** Probes per key of the bloom filter (its last byte), or 0 when there is no filter. */
    public int filterProbes() {
        byte[] filter = table.filter();
        return filter.length < 2 ? 0 : filter[filter.length - 1] & 0xff;
    }

    public long indexSize() {
        return table.footer().index().size();
    }

    /**
     * The data blocks in index order. Each handle is checked to lie in the data area, before
     * the filter block; a bad one raises {@link CorruptionException}.
     */
    public List<DataBlock> blocks() {
        if (blocks == null) {
            List<DataBlock> out = new ArrayList<>();
            try (InternalIterator it = table.indexBlock().iterator()) {
                for (it.seekToFirst(); it.valid(); it.next()) {
                    String entry = "index entry " + out.size();
                    BlockHandle h = table.inDataArea(BlockHandle.decode(it.value(), name() + " " + entry), entry);
                    out.add(new DataBlock(out.size(), h.offset(), h.size(), it.key()));
                }
            }
            if (out.isEmpty()) {
                throw new CorruptionException(name() + ": the index names no data blocks");
            }
            blocks = Collections.unmodifiableList(out);
        }
        return blocks;
    }

    /** The entries of one data block, read and verified (checksum) now. */
    public InternalIterator blockEntries(DataBlock block) {
        return table.readDataBlock(new BlockHandle(block.offset(), block.size()))
                .iterator();
    }

    /**
     * Reads {@code block} and checks everything a reader relies on: its checksum, the decoding
     * of every entry, keys strictly ascending (and above {@code previous}'s index key, when
     * there is a previous block), the last key at or below the block's index key, and the
     * bloom filter answering "maybe" for every user key.
     *
     * @throws CorruptionException naming the file and the block's offset
     */
    public BlockSummary checkBlock(DataBlock block, DataBlock previous) {
        byte[] bound = previous == null ? null : previous.indexKey();
        byte[] first = null;
        byte[] last = null;
        long n = 0;
        long tombstones = 0;
        try (InternalIterator it = blockEntries(block)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                byte[] key = it.key();
                if (last != null
                        ? InternalKey.compare(last, key) >= 0
                        : bound != null && InternalKey.compare(bound, key) >= 0) {
                    throw corrupt(block, "keys out of order at entry " + n);
                }
                if ((last == null || !InternalKey.sameUserKey(last, key))
                        && !table.mayContain(InternalKey.userKey(key))) {
                    throw corrupt(block, "the bloom filter misses the key of entry " + n);
                }
                if (InternalKey.type(key) == ValueType.DELETION) {
                    tombstones++;
                }
                if (first == null) {
                    first = key;
                }
                last = key;
                n++;
            }
        }
        if (last == null) {
            throw corrupt(block, "empty data block");
        }
        if (InternalKey.compare(last, block.indexKey()) > 0) {
            throw corrupt(block, "the last key is past the block's index key");
        }
        return new BlockSummary(n, tombstones, first, last);
    }

    private CorruptionException corrupt(DataBlock block, String what) {
        return new CorruptionException(
                name() + ": " + what + " in block at offset " + block.offset() + " (size " + block.size() + ")");
    }

    /**
     * Reads and checks every data block ({@link #checkBlock}) and returns the table's figures.
     *
     * @throws CorruptionException at the first failed check
     */
    public Properties properties() {
        long entries = 0;
        long tombstones = 0;
        long dataSize = 0;
        byte[] smallest = null;
        byte[] largest = null;
        DataBlock previous = null;
        for (DataBlock b : blocks()) {
            BlockSummary s = checkBlock(b, previous);
            entries += s.entries();
            tombstones += s.tombstones();
            dataSize += b.size() + BlockTrailer.LENGTH;
            smallest = smallest == null ? s.firstKey() : smallest;
            largest = s.lastKey();
            previous = b;
        }
        return new Properties(
                fileSize,
                formatVersion(),
                blocks().size(),
                entries,
                tombstones,
                smallest,
                largest,
                dataSize,
                filterSize(),
                filterProbes(),
                indexSize());
    }

    @Override
    public void close() throws IOException {
        table.close();
    }
}
