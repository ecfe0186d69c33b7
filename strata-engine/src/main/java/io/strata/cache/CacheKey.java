package io.strata.cache;

/**
 * The key of the store's caches: a table's file number and, for a block, its offset (0 for the
 * table itself). A key in a cache is never changed. A lookup asks with this thread's probe
 * ({@link #probe}), set for that one lookup and never stored, so that a lookup allocates
 * nothing; Caffeine keeps no reference to the key a lookup passes. Keys that go into a cache
 * are made with {@link #CacheKey(long, long)}.
 */
final class CacheKey {
    private static final ThreadLocal<CacheKey> PROBE = ThreadLocal.withInitial(() -> new CacheKey(0, 0));

    /** Written only on the probe's own thread, and only for a probe (stored keys stay as made). */
    private long fileNumber;

    private long offset;

    CacheKey(long fileNumber, long offset) {
        this.fileNumber = fileNumber;
        this.offset = offset;
    }

    /** This thread's probe set to ({@code fileNumber}, {@code offset}): valid until its next call. */
    static CacheKey probe(long fileNumber, long offset) {
        CacheKey k = PROBE.get();
        k.fileNumber = fileNumber;
        k.offset = offset;
        return k;
    }

    long fileNumber() {
        return fileNumber;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey k && k.fileNumber == fileNumber && k.offset == offset;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(fileNumber) * 31 + Long.hashCode(offset);
    }
}
