package io.strata.server.store;

import java.util.Arrays;

/**
 * A live (unexpired) value read from the store: the payload is {@code raw[offset..]}, so a
 * GET can reply from the engine's array without copying it.
 */
public final class StoredValue {
    private final byte[] raw;
    private final int offset;
    private final long expireAt;

    StoredValue(byte[] raw, int offset, long expireAt) {
        this.raw = raw;
        this.offset = offset;
        this.expireAt = expireAt;
    }

    public byte[] raw() {
        return raw;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return raw.length - offset;
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return Arrays.copyOfRange(raw, offset, raw.length);
    }

    /** Epoch milliseconds at which the key expires, or 0 if it has no expiry. */
    public long expireAt() {
        return expireAt;
    }

    public boolean hasExpiry() {
        return expireAt != 0;
    }
}
