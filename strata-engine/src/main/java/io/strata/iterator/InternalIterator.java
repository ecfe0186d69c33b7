package io.strata.iterator;

/**
 * A cursor over encoded internal keys (see {@link io.strata.key.InternalKey}) in internal-key
 * order, moving either way. Iterators compose: tables, memtables, merges and the user-facing
 * iterator all implement this.
 *
 * <p>An iterator is used by one thread at a time. {@link #key()} and {@link #value()} are
 * valid only while {@link #valid()} is true; the arrays they return must not be modified.
 * {@link #next()} and {@link #prev()} require {@link #valid()}; an iterator that moved past
 * either end is positioned again by a seek.
 */
public interface InternalIterator extends AutoCloseable {
    boolean valid();

    void seekToFirst();

    /** Positions at the first entry whose internal key is at or after {@code target}. */
    void seek(byte[] target);

    /** Positions at the last entry (not valid when there is none). */
    void seekToLast();

    void next();

    /** Moves to the entry before the current one, or becomes not valid at the first. */
    void prev();

    byte[] key();

    byte[] value();

    /** Releases what the iterator pins (files, versions). Idempotent. */
    @Override
    void close();
}
