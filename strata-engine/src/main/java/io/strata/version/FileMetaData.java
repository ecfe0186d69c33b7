package io.strata.version;

import io.strata.key.InternalKey;

/** An SSTable as the MANIFEST records it. Immutable. */
public record FileMetaData(long number, long fileSize, byte[] smallest, byte[] largest) {

    /** Whether the user key of the internal key {@code ikey} lies within this file's key range. */
    public boolean mayContainUserKeyOf(byte[] ikey) {
        return InternalKey.compareUserKeys(smallest, ikey) <= 0 && InternalKey.compareUserKeys(largest, ikey) >= 0;
    }
}
