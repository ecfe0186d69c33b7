package io.strata.bench;

/**
 * A position in a store's keys, in unsigned byte order. Backward moves exist only where the engine
 * has them ({@link Engine#iteratesBackwards()}); the others throw {@link UnsupportedOperationException}.
 */
interface StoreCursor extends AutoCloseable {
    void seekToFirst() throws Exception;

    /** Positions at the first key at or after {@code key}. */
    void seek(byte[] key) throws Exception;

    boolean valid();

    /** Requires {@link #valid()}. */
    byte[] key();

    /** Requires {@link #valid()}. */
    byte[] value();

    void next() throws Exception;

    default void seekToLast() throws Exception {
        throw new UnsupportedOperationException("this engine has no backward iteration");
    }

    default void prev() throws Exception {
        throw new UnsupportedOperationException("this engine has no backward iteration");
    }

    @Override
    void close() throws Exception;
}
