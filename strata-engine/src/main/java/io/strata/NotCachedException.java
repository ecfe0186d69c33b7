package io.strata;

/**
 * A get with {@link ReadOptions#cachedOnly} would have to read a file: a table the table cache
 * has not open, or a block the block cache does not hold (RocksDB's {@code Status::Incomplete}
 * of a read at {@code kBlockCacheTier}). Nothing is wrong with the store or the key: the same
 * get without the option answers.
 *
 * <p>It carries no stack trace (where it was thrown says nothing), so that a caller that reads
 * from memory first and falls back to a read that may block pays little for meeting it often.
 */
public final class NotCachedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotCachedException() {
        super("the read needs a file the caches do not hold", null, false, false);
    }
}
