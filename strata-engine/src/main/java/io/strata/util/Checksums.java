package io.strata.util;

import java.util.zip.CRC32C;

/** CRC32C over byte ranges; every block, WAL record and manifest record carries one. */
public final class Checksums {
    private Checksums() {}

    public static int crc32c(byte[] data, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(data, off, len);
        return (int) crc.getValue();
    }

    /** CRC32C of two adjacent-in-meaning ranges, as if concatenated. */
    public static int crc32c(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        CRC32C crc = new CRC32C();
        crc.update(a, aOff, aLen);
        crc.update(b, bOff, bLen);
        return (int) crc.getValue();
    }
}
