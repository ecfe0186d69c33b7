package io.strata;

/** Per-read settings. */
public final class ReadOptions {
    private Snapshot snapshot;
    private byte[] lowerBound;
    private byte[] upperBound;
    private boolean cachedOnly;

    /** Read as of this snapshot instead of the latest state. */
    public ReadOptions snapshot(Snapshot snapshot) {
        this.snapshot = snapshot;
        return this;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Iterators see no key below this one (inclusive bound); null for none. */
    public ReadOptions lowerBound(byte[] lowerBound) {
        this.lowerBound = lowerBound == null ? null : lowerBound.clone();
        return this;
    }

    public byte[] lowerBound() {
        return lowerBound;
    }

    /** Iterators see no key at or above this one (exclusive bound); null for none. */
    public ReadOptions upperBound(byte[] upperBound) {
        this.upperBound = upperBound == null ? null : upperBound.clone();
        return this;
    }

    public byte[] upperBound() {
        return upperBound;
    }

    /**
     * A get answers only from memory: the memtables, the tables the table cache holds open and
     * the blocks the block cache holds; where it would read a file it throws {@link
     * NotCachedException} instead, having read nothing. For a caller on a thread that must not
     * block on I/O (a network event loop), which then hands the read to one that may. Iterators
     * refuse it.
     */
    public ReadOptions cachedOnly(boolean cachedOnly) {
        this.cachedOnly = cachedOnly;
        return this;
    }

    public boolean cachedOnly() {
        return cachedOnly;
    }
}
