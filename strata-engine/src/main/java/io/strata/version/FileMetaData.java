package io.strata.version;

import io.strata.key.InternalKey;

/** An SSTable as the MANIFEST records it. Immutable. */
public record FileMetaData(long number, long fileSize, byte[] smallest, byte[] largest) {

    /** Whether {@code userKey} lies within this file's key range. */
    public boolean mayContainUserKey(byte[] userKey) {
        return InternalKey.compareUserKey(smallest, userKey) <= 0 && InternalKey.compareUserKey(largest, userKey) >= 0;
    }
}
