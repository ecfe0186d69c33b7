package io.strata;

/**
 * A consistent point-in-time view of the store. Reads with {@link ReadOptions#snapshot}
 * see exactly the writes acknowledged before the snapshot was taken. Close it to let the
 * store discard the old versions it keeps for it.
 */
public interface Snapshot extends AutoCloseable {
    /** The sequence number of the last write the snapshot sees. */
    long sequence();

    @Override
    void close();
}
