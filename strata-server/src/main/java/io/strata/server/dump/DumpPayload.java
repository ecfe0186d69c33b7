package io.strata.server.dump;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Redis's DUMP format, for strings:
 *
 * <pre>
 * byte 0       RDB object type: 0 = string
 * bytes 1..    the string, RDB-encoded: a length, then that many bytes; or a special form (below)
 * 2 bytes      RDB version, little-endian ({@link #RDB_VERSION}, Redis 7.2's)
 * 8 bytes      CRC-64 ({@link Crc64}) of everything before it, little-endian
 * </pre>
 *
 * A length is 6 bits in one byte (00xxxxxx), 14 bits in two (01xxxxxx, big-endian), or 32 or
 * 64 bits after a byte 0x80 or 0x81 (big-endian). A first byte 11xxxxxx is a special form:
 * 0, 1, 2 an integer in 8, 16 or 32 bits (little-endian, signed), whose decimal text is the
 * string (Redis writes one for a string of at most 11 bytes that is such an integer); 3 an LZF
 * string ({@link Lzf}: compressed length, length, data; Redis writes one for a string of more
 * than 20 bytes when it compresses). Strata writes the plain form and reads all of them.
 */
public final class DumpPayload {
    private DumpPayload() {}

    public static final int RDB_VERSION = 11;
    static final int TYPE_STRING = 0;

    static final String VERSION_OR_CHECKSUM = "ERR DUMP payload version or checksum are wrong";
    static final String BAD_FORMAT = "ERR Bad data format";

    public static byte[] encode(byte[] data, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 16);
        out.write(TYPE_STRING);
        if (length < 1 << 6) {
            out.write(length);
        } else if (length < 1 << 14) {
            out.write(0x40 | (length >>> 8));
            out.write(length & 0xff);
        } else {
            out.write(0x80);
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write((length >>> shift) & 0xff);
            }
        }
        out.write(data, offset, length);
        out.write(RDB_VERSION & 0xff);
        out.write(RDB_VERSION >>> 8);
        byte[] body = out.toByteArray();
        long crc = Crc64.of(body, 0, body.length);
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    /**
     * The string a payload holds, checked as Redis's RESTORE checks one: the version no newer
     * than {@link #RDB_VERSION}, the checksum right, then the object; and no byte left over.
     *
     * @throws DumpFormatException with Redis's error text, or Strata's for a value of another
     *     type or longer than {@code maxLength}
     */
    public static byte[] decode(byte[] p, int maxLength) {
        if (p.length < 10) {
            throw new DumpFormatException(VERSION_OR_CHECKSUM, false);
        }
        int footer = p.length - 10;
        int version = (p[footer] & 0xff) | (p[footer + 1] & 0xff) << 8;
        long crc = 0;
        for (int i = 7; i >= 0; i--) {
            crc = (crc << 8) | (p[footer + 2 + i] & 0xff);
        }
        if (version > RDB_VERSION || crc != Crc64.of(p, 0, p.length - 8)) {
            throw new DumpFormatException(VERSION_OR_CHECKSUM, false);
        }
        if (footer == 0) {
            throw new DumpFormatException(BAD_FORMAT, false);
        }
        int type = p[0] & 0xff;
        if (type != TYPE_STRING) {
            throw new DumpFormatException(
                    "ERR Strata stores only strings; this DUMP payload holds a " + typeName(type) + " (RDB type " + type
                            + ")",
                    false);
        }
        Reader in = new Reader(p, 1, footer);
        byte[] value = in.string(maxLength);
        if (in.pos != footer) {
            throw new DumpFormatException(BAD_FORMAT, false);
        }
        return value;
    }

    private static String typeName(int type) {
        return switch (type) {
            case 1, 10, 14, 18 -> "list";
            case 2, 11, 20 -> "set";
            case 3, 5, 12, 17 -> "sorted set";
            case 4, 9, 13, 16 -> "hash";
            case 6, 7 -> "module value";
            case 15, 19, 21 -> "stream";
            default -> "value of an unknown type";
        };
    }

    /** Reads RDB encodings from {@code p[pos, end)}; every read past the end is a bad format. */
    private static final class Reader {
        private final byte[] p;
        private final int end;
        private int pos;

        Reader(byte[] p, int pos, int end) {
            this.p = p;
            this.pos = pos;
            this.end = end;
        }

        private int u8() {
            if (pos >= end) {
                throw new DumpFormatException(BAD_FORMAT, false);
            }
            return p[pos++] & 0xff;
        }

        /** A big-endian unsigned number of {@code n} bytes. */
        private long bigEndian(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | u8();
            }
            return v;
        }

        /** A little-endian signed number of {@code n} bytes. */
        private long littleEndian(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (long) u8() << (8 * i);
            }
            return (v << (64 - 8 * n)) >> (64 - 8 * n);
        }

        /** A plain length (not a special form), checked against {@code max}. */
        private int length(int max) {
            int b = u8();
            long len = switch (b >>> 6) {
                case 0 -> b & 0x3f;
                case 1 -> ((b & 0x3f) << 8) | u8();
                case 2 -> b == 0x80 ? bigEndian(4) : b == 0x81 ? bigEndian(8) : -1;
                default -> -1;
            };
            if (len < 0) {
                throw new DumpFormatException(BAD_FORMAT, false);
            }
            if (len > max) {
                throw new DumpFormatException(BAD_FORMAT, max != Integer.MAX_VALUE);
            }
            return (int) len;
        }

        byte[] string(int maxLength) {
            int b = p[pos] & 0xff; // pos < end: decode saw a byte after the type
            if (b >>> 6 != 3) {
                int len = length(Integer.MAX_VALUE);
                if (len > end - pos) {
                    throw new DumpFormatException(BAD_FORMAT, false);
                }
                if (len > maxLength) {
                    throw new DumpFormatException(BAD_FORMAT, true);
                }
                byte[] s = java.util.Arrays.copyOfRange(p, pos, pos + len);
                pos += len;
                return s;
            }
            pos++;
            return switch (b & 0x3f) {
                case 0, 1 -> text(littleEndian((b & 0x3f) + 1));
                case 2 -> text(littleEndian(4));
                case 3 -> lzf(maxLength);
                default -> throw new DumpFormatException(BAD_FORMAT, false);
            };
        }

        private static byte[] text(long v) {
            return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        }

        private byte[] lzf(int maxLength) {
            int compressed = length(Integer.MAX_VALUE);
            int length = length(maxLength);
            if (compressed > end - pos) {
                throw new DumpFormatException(BAD_FORMAT, false);
            }
            byte[] s = Lzf.decompress(p, pos, compressed, length);
            if (s == null) {
                throw new DumpFormatException(BAD_FORMAT, false);
            }
            pos += compressed;
            return s;
        }
    }
}
