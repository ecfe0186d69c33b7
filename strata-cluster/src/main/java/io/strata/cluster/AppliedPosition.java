package io.strata.cluster;

import java.nio.ByteBuffer;

/**
 * A position in the Raft log, (term, index), as the engine keeps it with the data it covers: the
 * marker of the last batch applied ({@link io.strata.WriteBatch#marker}), made durable when its
 * memtable is flushed. Encoding (17 bytes): version u8 (1) | term fixed64 BE | index fixed64 BE.
 */
record AppliedPosition(long term, long index) implements Comparable<AppliedPosition> {
    static final AppliedPosition NONE = new AppliedPosition(0, -1);
    private static final byte VERSION = 1;
    private static final int SIZE = 17;

    byte[] toMarker() {
        return ByteBuffer.allocate(SIZE)
                .put(VERSION)
                .putLong(term)
                .putLong(index)
                .array();
    }

    /** The position a marker holds; {@link #NONE} for null (the engine has never flushed one). */
    static AppliedPosition fromMarker(byte[] marker) {
        if (marker == null) {
            return NONE;
        }
        if (marker.length != SIZE || marker[0] != VERSION) {
            throw new IllegalStateException("the engine's durable marker is not a Raft position of format "
                    + VERSION + " (" + marker.length + " bytes, first " + (marker.length > 0 ? marker[0] : -1)
                    + "): this data directory was not written by a Strata cluster node of this version");
        }
        ByteBuffer b = ByteBuffer.wrap(marker, 1, SIZE - 1);
        return new AppliedPosition(b.getLong(), b.getLong());
    }

    @Override
    public int compareTo(AppliedPosition o) {
        return Long.compare(index, o.index);
    }

    @Override
    public String toString() {
        return "(t:" + term + ", i:" + index + ")";
    }
}
