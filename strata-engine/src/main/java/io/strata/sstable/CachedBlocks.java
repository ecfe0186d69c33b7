package io.strata.sstable;

/**
 * Where tables keep decoded data blocks between reads, keyed by table file number and block
 * offset; one is shared by all the tables of a store ({@code io.strata.cache.BlockCache}).
 * Implementations are thread-safe. File numbers are never reused within a store, so a key
 * names one block for as long as the cache lives.
 */
public interface CachedBlocks {
    /** The block of table {@code fileNumber} at {@code offset}, or null if it is not cached. */
    Block get(long fileNumber, long offset);

    void put(long fileNumber, long offset, Block block);
}
