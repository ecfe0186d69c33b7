package io.strata.server.dump;

/**
 * CRC-64 with the Jones polynomial (0xad93d23594c935a9), reflected input and output, initial
 * value 0 and no final xor: the checksum Redis puts at the end of a DUMP payload. Its check
 * value, the CRC of "123456789", is 0xe9c6d914c4b8d9ca.
 */
public final class Crc64 {
    private Crc64() {}

    /** The Jones polynomial with its bits reversed, for the reflected (least significant bit first) form. */
    private static final long REFLECTED_POLY = Long.reverse(0xad93d23594c935a9L);

    /** The CRC of each byte value; filled once, in the class initializer. */
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ REFLECTED_POLY : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    public static long of(byte[] data, int offset, int length) {
        long crc = 0;
        for (int i = offset; i < offset + length; i++) {
            crc = TABLE[(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }
}
