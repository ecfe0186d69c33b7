package io.strata;

/** Per-read settings. */
public final class ReadOptions {
    private Snapshot snapshot;
    private byte[] lowerBound;
    private byte[] upperBound;

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
}
