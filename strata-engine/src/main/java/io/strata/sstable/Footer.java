package io.strata.sstable;

import io.strata.CorruptionException;
import io.strata.util.Checksums;
import io.strata.util.Coding;

/**
 * The fixed 48 bytes at the end of every table: filter and index block handles as fixed64
 * pairs, a format version, a CRC32C of the 36 bytes before it, and the magic number. Fixed
 * width so a reader finds it at {@code size - 48} without parsing.
 */
record Footer(BlockHandle filter, BlockHandle index) {
    static final int LENGTH = 48;
    static final int VERSION = 1;
    /** "STRATA01" read as a little-endian fixed64. */
    static final long MAGIC = 0x3130415441525453L;

    byte[] encode() {
        byte[] buf = new byte[LENGTH];
        Coding.putFixed64(buf, 0, filter.offset());
        Coding.putFixed64(buf, 8, filter.size());
        Coding.putFixed64(buf, 16, index.offset());
        Coding.putFixed64(buf, 24, index.size());
        Coding.putFixed32(buf, 32, VERSION);
        Coding.putFixed32(buf, 36, Checksums.crc32c(buf, 0, 36));
        Coding.putFixed64(buf, 40, MAGIC);
        return buf;
    }

    /** Decodes and validates a footer; handles must lie inside the first {@code dataEnd} bytes. */
    static Footer decode(byte[] buf, long dataEnd, String file) {
        if (buf.length != LENGTH || Coding.getFixed64(buf, 40) != MAGIC) {
            throw new CorruptionException(file + ": not an SSTable (bad magic number)");
        }
        if (Coding.getFixed32(buf, 36) != Checksums.crc32c(buf, 0, 36)) {
            throw new CorruptionException(file + ": footer checksum mismatch");
        }
        int version = Coding.getFixed32(buf, 32);
        if (version != VERSION) {
            throw new CorruptionException(file + ": unsupported table format version " + version);
        }
        BlockHandle filter = handle(buf, 0, dataEnd, file);
        BlockHandle index = handle(buf, 16, dataEnd, file);
        return new Footer(filter, index);
    }

    private static BlockHandle handle(byte[] buf, int off, long dataEnd, String file) {
        long offset = Coding.getFixed64(buf, off);
        long size = Coding.getFixed64(buf, off + 8);
        if (offset < 0 || size < 0 || size > dataEnd || offset > dataEnd - size - BlockTrailer.LENGTH) {
            throw new CorruptionException(file + ": footer block handle out of range");
        }
        return new BlockHandle(offset, size);
    }
}
