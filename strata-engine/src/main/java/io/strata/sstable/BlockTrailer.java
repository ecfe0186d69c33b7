package io.strata.sstable;

import io.strata.CorruptionException;
import io.strata.util.Checksums;
import io.strata.util.Coding;

/**
 * The 5 bytes after every block as stored: a compression type byte (0 = none, 1 = LZ4,
 * 2 = Zstd; see {@link BlockCodec}) and a CRC32C of the stored bytes and that byte.
 */
final class BlockTrailer {
    static final int LENGTH = 5;
    static final byte NO_COMPRESSION = 0;
    static final byte LZ4 = 1;
    static final byte ZSTD = 2;

    private BlockTrailer() {}

    static byte[] encode(byte[] contents) {
        return encode(contents, contents.length, NO_COMPRESSION);
    }

    /** The trailer for the first {@code length} bytes of {@code stored}, stored with {@code type}. */
    static byte[] encode(byte[] stored, int length, byte type) {
        byte[] trailer = new byte[LENGTH];
        trailer[0] = type;
        Coding.putFixed32(trailer, 1, Checksums.crc32c(stored, 0, length, trailer, 0, 1));
        return trailer;
    }

    /**
     * Verifies {@code raw} (stored bytes followed by the trailer) and returns the compression
     * type; the stored bytes are the first {@code raw.length - LENGTH}.
     *
     * @throws CorruptionException naming the file and offset on a checksum mismatch or an
     *     unknown type
     */
    static byte verify(byte[] raw, String file, BlockHandle handle) {
        int n = raw.length - LENGTH;
        int expected = Coding.getFixed32(raw, n + 1);
        if (expected != Checksums.crc32c(raw, 0, n + 1)) {
            throw new CorruptionException(file + ": checksum mismatch in block at offset " + handle.offset() + " (size "
                    + handle.size() + ")");
        }
        byte type = raw[n];
        if (type != NO_COMPRESSION && type != LZ4 && type != ZSTD) {
            throw new CorruptionException(
                    file + ": unknown compression type " + (type & 0xff) + " in block at offset " + handle.offset());
        }
        return type;
    }
}
