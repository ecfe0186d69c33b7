package io.strata;

/**
 * Why a write waited ({@link Statistics#stallWrites()}, {@link Statistics#stallMillis()}): the
 * order of the constants is the order of those lists, and {@link #label()} is the name metrics
 * and logs use.
 */
public enum WriteStallReason {
    /** Every allowed immutable memtable waits for its flush. */
    MEMTABLE_QUEUE_FULL("memtable-queue-full"),
    /** Level 0 reached the stop trigger: writes wait for a compaction. */
    LEVEL0_STOP("level0-stop"),
    /** Level 0 reached the slowdown trigger: each write is delayed by a millisecond. */
    LEVEL0_SLOWDOWN("level0-slowdown");

    private final String label;

    WriteStallReason(String label) {
        this.label = label;
    }

    /** The reason's name in metrics and logs. */
    public String label() {
        return label;
    }
}
