package io.strata.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.strata.sstable.Block;
import io.strata.sstable.CachedBlocks;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decoded data blocks of all the tables of one store, keyed by (table file number, block
 * offset), bounded by the bytes the blocks hold ({@link Block#charge()}). A Caffeine cache
 * (W-TinyLFU eviction): lookups take no lock, and eviction runs in the threads that insert
 * (no background pool), so the cache passes its bound only briefly, while inserts race.
 *
 * <p>Blocks are immutable, so a reader keeps using a block it got even after the cache has
 * evicted it. The counters are cumulative since the store opened.
 */
public final class BlockCache implements CachedBlocks {

    private final long capacity;
    private final Cache<CacheKey, Block> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** A cache holding up to {@code capacityBytes} (at least 1) of blocks. */
    public BlockCache(long capacityBytes) {
        if (capacityBytes < 1) {
            throw new IllegalArgumentException("block cache capacity must be positive, got " + capacityBytes);
        }
        this.capacity = capacityBytes;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(capacityBytes)
                .weigher((CacheKey k, Block b) -> b.charge())
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Block get(long fileNumber, long offset) {
        Block b = cache.getIfPresent(CacheKey.probe(fileNumber, offset));
        (b != null ? hits : misses).increment();
        return b;
    }

    @Override
    public void put(long fileNumber, long offset, Block block) {
        cache.put(new CacheKey(fileNumber, offset), block);
    }

    /** Drops every block of table {@code fileNumber} (its file is being deleted). Takes time in the cache's size. */
    public void evictFile(long fileNumber) {
        cache.asMap().keySet().removeIf(k -> k.fileNumber() == fileNumber);
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    /** hits / (hits + misses), or 0 before the first lookup. */
    public double hitRatio() {
        long h = hits();
        long total = h + misses();
        return total == 0 ? 0 : (double) h / total;
    }

    /** Bytes of the blocks held now (their {@link Block#charge()}). */
    public long usedBytes() {
        return cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    public long capacity() {
        return capacity;
    }

    public long blockCount() {
        return cache.estimatedSize();
    }

    /** Runs pending evictions now (for tests and reports that need an exact size). */
    public void cleanUp() {
        cache.cleanUp();
    }

    public void clear() {
        cache.invalidateAll();
        cache.cleanUp();
    }
}
