package io.strata;

/**
 * Decides, during compaction, that a stored value is dead (for example an expired entry of
 * the server's TTL encoding), so its space can be reclaimed. Set with
 * {@link Options#compactionFilter}. Called on compaction threads, concurrently; it must be
 * thread safe, fast and free of side effects.
 *
 * <p>A filtered value becomes a tombstone rather than vanishing, so older versions of the
 * key stay shadowed; the tombstone is dropped like any other once nothing older remains. The
 * filter is asked only about the newest version of a key, and only when no snapshot that was
 * live when the compaction began can see it, so it does not change what those snapshots read
 * (a snapshot taken while the compaction runs may see the value go). Reads do not consult the
 * filter: whoever defines values as dead must also hide them on read until compaction removes
 * them.
 */
@FunctionalInterface
public interface CompactionFilter {
    /** Whether the value stored under {@code key} is dead and may be removed. */
    boolean shouldDrop(byte[] key, byte[] value);
}
