package io.strata.iterator;

/**
 * A forward cursor over encoded internal keys (see {@link io.strata.key.InternalKey}) in
 * internal-key order. Iterators compose: tables, memtables, merges and the user-facing
 * iterator all implement this.
 *
 * <p>An iterator is used by one thread at a time. {@link #key()} and {@link #value()} are
 * valid only while {@link #valid()} is true; the arrays they return must not be modified.
 */
public interface InternalIterator extends AutoCloseable {
    boolean valid();

    void seekToFirst();

    /** Positions at the first entry whose internal key is at or after {@code target}. */
    void seek(byte[] target);

    void next();

    byte[] key();

    byte[] value();

    /** Releases what the iterator pins (files, versions). Idempotent. */
    @Override
    void close();
}
