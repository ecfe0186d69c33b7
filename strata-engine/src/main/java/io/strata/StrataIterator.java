package io.strata;

/**
 * A forward cursor over live keys in unsigned byte order, as of the snapshot the iterator
 * was created with (implicitly the moment of creation). Concurrent writes never show through.
 * Not thread-safe; close it to release the files it pins.
 */
public interface StrataIterator extends AutoCloseable {
    void seekToFirst();

    /** Positions at the first key at or after {@code key}. */
    void seek(byte[] key);

    boolean valid();

    /** The current key (a copy the caller may keep). Requires {@link #valid()}. */
    byte[] key();

    /** The current value (a copy the caller may keep). Requires {@link #valid()}. */
    byte[] value();

    void next();

    @Override
    void close();
}
