package io.strata.sstable;

import io.strata.CorruptionException;
import io.strata.util.Checksums;
import io.strata.util.Coding;

/**
 * The 5 bytes after every block's contents: a compression type byte (0 = none, the only one
 * so far) and a CRC32C of the contents and that byte.
 */
final class BlockTrailer {
    static final int LENGTH = 5;
    static final byte NO_COMPRESSION = 0;

    private BlockTrailer() {}

    static byte[] encode(byte[] contents) {
        byte[] trailer = new byte[LENGTH];
        trailer[0] = NO_COMPRESSION;
        Coding.putFixed32(trailer, 1, Checksums.crc32c(contents, 0, contents.length, trailer, 0, 1));
        return trailer;
    }

    /**
     * Verifies {@code raw} (contents followed by the trailer) and returns the contents' length.
     *
     * @throws CorruptionException naming the file and offset on a checksum or type mismatch
     */
    static int verify(byte[] raw, String file, BlockHandle handle) {
        int n = raw.length - LENGTH;
        int expected = Coding.getFixed32(raw, n + 1);
        if (expected != Checksums.crc32c(raw, 0, n + 1)) {
            throw new CorruptionException(file + ": checksum mismatch in block at offset "
                    + handle.offset() + " (size " + handle.size() + ")");
        }
        if (raw[n] != NO_COMPRESSION) {
            throw new CorruptionException(file + ": unknown compression type " + (raw[n] & 0xff)
                    + " in block at offset " + handle.offset());
        }
        return n;
    }
}
