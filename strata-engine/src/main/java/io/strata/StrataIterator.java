package io.strata;

/**
 * A cursor over live keys in unsigned byte order, moving either way, as of the snapshot the
 * iterator was created with (implicitly the moment of creation). Concurrent writes never show
 * through. Not thread-safe; close it to release the files it pins.
 *
 * <p>{@link #next()} and {@link #prev()} require {@link #valid()}: once a move passes either end
 * (or the read options' bounds) the iterator is not valid until positioned again. Changing
 * direction costs about one seek; steps in the same direction are cheap.
 */
public interface StrataIterator extends AutoCloseable {
    void seekToFirst();

    /** Positions at the first key at or after {@code key}. */
    void seek(byte[] key);

    /** Positions at the last key (below the upper bound, when the read options give one). */
    void seekToLast();

    /** Positions at the last key at or before {@code key} (RocksDB's {@code SeekForPrev}). */
    void seekForPrev(byte[] key);

    boolean valid();

    /** The current key (a copy the caller may keep). Requires {@link #valid()}. */
    byte[] key();

    /** The current value (a copy the caller may keep). Requires {@link #valid()}. */
    byte[] value();

    void next();

    /** Moves to the previous key. */
    void prev();

    @Override
    void close();
}
