package io.strata.sstable;

import io.strata.Compression;
import io.strata.fs.WritableFile;
import io.strata.key.InternalKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an SSTable: data blocks cut at the block size (each compressed with the table's
 * {@link Compression} when that saves at least an eighth), then the filter block, the index
 * block (one entry per data block: its last key → its handle) and the footer. Entries must be
 * added in increasing internal-key order. Does not sync or close the file: the caller decides
 * when the table is durable.
 */
public final class TableBuilder {
    private final WritableFile file;
    private final String name;
    private final int blockSize;
    private final int bloomBitsPerKey;
    private final BlockBuilder dataBlock;
    private final BlockBuilder indexBlock;
    private final BlockCodec.Compressor compressor;
    private final List<byte[]> filterKeys = new ArrayList<>();
    private long offset;
    private byte[] smallestKey;
    private byte[] lastKey;
    private boolean finished;

    /** A builder whose data blocks are stored uncompressed. */
    public TableBuilder(WritableFile file, String name, int blockSize, int restartInterval, int bloomBitsPerKey) {
        this(file, name, blockSize, restartInterval, bloomBitsPerKey, Compression.NONE);
    }

    public TableBuilder(
            WritableFile file,
            String name,
            int blockSize,
            int restartInterval,
            int bloomBitsPerKey,
            Compression compression) {
        this.file = file;
        this.compressor = new BlockCodec.Compressor(compression);
        this.name = name;
        this.blockSize = blockSize;
        this.bloomBitsPerKey = bloomBitsPerKey;
        this.dataBlock = new BlockBuilder(restartInterval);
        // Index entries are few and looked up by binary search over restarts: restart at each.
        this.indexBlock = new BlockBuilder(1);
    }

    public void add(byte[] internalKey, byte[] value) throws IOException {
        if (finished) {
            throw new IllegalStateException(name + ": add after finish");
        }
        if (lastKey != null && InternalKey.compare(lastKey, internalKey) >= 0) {
            throw new IllegalArgumentException(name + ": keys added out of order");
        }
        if (smallestKey == null) {
            smallestKey = internalKey;
        }
        if (bloomBitsPerKey > 0 && (lastKey == null || !InternalKey.sameUserKey(lastKey, internalKey))) {
            filterKeys.add(InternalKey.userKey(internalKey));
        }
        lastKey = internalKey;
        dataBlock.add(internalKey, value);
        if (dataBlock.currentSize() >= blockSize) {
            flushDataBlock();
        }
    }

    private void flushDataBlock() throws IOException {
        byte[] contents = dataBlock.finish();
        int stored = compressor.compress(contents);
        BlockHandle handle = stored < 0
                ? writeBlock(contents, contents.length, BlockTrailer.NO_COMPRESSION)
                : writeBlock(compressor.buffer(), stored, compressor.type());
        dataBlock.reset();
        indexBlock.add(lastKey, handle.encode());
    }

    /** Index and filter blocks are always stored uncompressed. */
    private BlockHandle writeBlock(byte[] contents) throws IOException {
        return writeBlock(contents, contents.length, BlockTrailer.NO_COMPRESSION);
    }

    private BlockHandle writeBlock(byte[] stored, int length, byte type) throws IOException {
        BlockHandle handle = new BlockHandle(offset, length);
        file.append(stored, 0, length);
        file.append(BlockTrailer.encode(stored, length, type));
        offset += length + BlockTrailer.LENGTH;
        return handle;
    }

    /** Writes the remaining blocks and the footer; returns the file size. */
    public long finish() throws IOException {
        if (finished) {
            throw new IllegalStateException(name + ": finish called twice");
        }
        if (smallestKey == null) {
            throw new IllegalStateException(name + ": a table needs at least one entry");
        }
        if (!dataBlock.isEmpty()) {
            flushDataBlock();
        }
        finished = true;
        BlockHandle filter =
                writeBlock(bloomBitsPerKey > 0 ? BloomFilter.build(filterKeys, bloomBitsPerKey) : new byte[0]);
        BlockHandle index = writeBlock(indexBlock.finish());
        file.append(new Footer(filter, index).encode());
        offset += Footer.LENGTH;
        return offset;
    }

    public byte[] smallestKey() {
        return smallestKey;
    }

    public byte[] largestKey() {
        return lastKey;
    }
}
