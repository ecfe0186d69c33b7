package io.strata.server.pubsub;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A channel or pattern name as a map key: compared by its bytes. Immutable (the bytes are never changed). */
public final class Name {
    private final byte[] bytes;
    private final int hash;

    public Name(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The bytes, not a copy: callers must not change them. */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Name n && n.hash == hash && Arrays.equals(n.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
