package io.strata.server.store;

import io.strata.Limits;

/**
 * The encoding of a server value inside an engine value: a header, then the payload.
 *
 * <pre>
 * byte 0      flags: bits 0-3 type (0 = string; 1-15 reserved for other Redis types)
 *                    bit 4     expiry present
 *                    bits 5-7  reserved, 0
 * bytes 1-8   expiry: epoch milliseconds, little-endian (only when bit 4 is set)
 * rest        payload (the string's bytes)
 * </pre>
 *
 * A string without expiry costs one byte; one with an expiry nine. The expiry is absolute, so
 * it survives a restart unchanged. A value whose reserved bits are set, or whose type is not
 * a string, is refused rather than misread.
 */
public final class ValueCodec {
    private ValueCodec() {}

    public static final int TYPE_STRING = 0;
    static final int TYPE_MASK = 0x0f;
    static final int FLAG_EXPIRY = 0x10;
    static final int RESERVED_MASK = 0xe0;

    /** The largest string payload: the engine's value limit less the largest header. */
    public static final int MAX_PAYLOAD = Limits.MAX_VALUE_SIZE - 9;

    public static byte[] encode(byte[] payload, long expireAt) {
        return encode(payload, 0, payload.length, expireAt);
    }

    public static byte[] encode(byte[] payload, int offset, int length, long expireAt) {
        int header = expireAt != 0 ? 9 : 1;
        byte[] v = new byte[header + length];
        v[0] = (byte) (TYPE_STRING | (expireAt != 0 ? FLAG_EXPIRY : 0));
        if (expireAt != 0) {
            for (int i = 0; i < 8; i++) {
                v[1 + i] = (byte) (expireAt >>> (8 * i));
            }
        }
        System.arraycopy(payload, offset, v, header, length);
        return v;
    }

    /** The expiry stored in {@code raw} (0 for none). */
    public static long expireAt(byte[] raw) {
        int flags = flags(raw);
        if ((flags & FLAG_EXPIRY) == 0) {
            return 0;
        }
        long t = 0;
        for (int i = 0; i < 8; i++) {
            t |= (raw[1 + i] & 0xffL) << (8 * i);
        }
        return t;
    }

    /**
     * Whether a stored expiry has passed at {@code now}: the one rule readers, compaction and
     * writers share (0 is no expiry; a value expiring at {@code now} is already gone).
     */
    public static boolean expired(long expireAt, long now) {
        return expireAt != 0 && expireAt <= now;
    }

    /** Where the payload starts in {@code raw}. */
    public static int payloadOffset(byte[] raw) {
        return (flags(raw) & FLAG_EXPIRY) != 0 ? 9 : 1;
    }

    public static int type(byte[] raw) {
        return flags(raw) & TYPE_MASK;
    }

    private static int flags(byte[] raw) {
        if (raw.length == 0) {
            throw new BadEncodingException("empty value (no header byte)");
        }
        int flags = raw[0] & 0xff;
        if ((flags & RESERVED_MASK) != 0 || (flags & TYPE_MASK) != TYPE_STRING) {
            throw new BadEncodingException(String.format("unknown value header 0x%02x", flags));
        }
        if ((flags & FLAG_EXPIRY) != 0 && raw.length < 9) {
            throw new BadEncodingException("value too short for its expiry (" + raw.length + " bytes)");
        }
        return flags;
    }

    /** A stored value the server cannot decode: written by something else, or corrupt. */
    public static final class BadEncodingException extends RuntimeException {
        BadEncodingException(String message) {
            super(message);
        }
    }
}
