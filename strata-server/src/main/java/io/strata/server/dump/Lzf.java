package io.strata.server.dump;

/**
 * Decompresses LZF (liblzf's format), which Redis uses for strings of more than 20 bytes in RDB
 * files and DUMP payloads when compression saves space. A stream is a run of items, each led by
 * a control byte {@code c}: below 32, a literal of {@code c + 1} bytes follows; otherwise a
 * back-reference of length {@code (c >> 5) + 2} (a length field of 7 adds the next byte), whose
 * distance is {@code ((c & 31) << 8) + next byte + 1} bytes back in the output.
 */
final class Lzf {
    private Lzf() {}

    /** The decompressed bytes, exactly {@code length} of them, or null if the stream does not decode to that. */
    static byte[] decompress(byte[] in, int offset, int inLength, int length) {
        byte[] out = new byte[length];
        int ip = offset;
        int end = offset + inLength;
        int op = 0;
        while (ip < end) {
            int c = in[ip++] & 0xff;
            if (c < 32) {
                int run = c + 1;
                if (run > end - ip || run > length - op) {
                    return null;
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
                continue;
            }
            int len = c >>> 5;
            if (len == 7) {
                if (ip >= end) {
                    return null;
                }
                len += in[ip++] & 0xff;
            }
            if (ip >= end) {
                return null;
            }
            int ref = op - ((c & 0x1f) << 8) - (in[ip++] & 0xff) - 1;
            len += 2;
            if (ref < 0 || len > length - op) {
                return null;
            }
            for (int i = 0; i < len; i++) {
                out[op++] = out[ref++]; // byte by byte: the source may overlap what is being written
            }
        }
        return op == length ? out : null;
    }
}
