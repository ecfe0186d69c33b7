package io.strata.stress;

/** The operations a stress thread draws from its mix. */
enum Op {
    /** A point read, checked against the states the key went through meanwhile. */
    GET,
    PUT,
    DELETE,
    /** A write batch of 2 to 8 keys, puts and deletes. */
    BATCH,
    /** A range scan of up to 64 keys, checked key by key with the range locked. */
    SCAN,
    /**
     * Checks and releases the snapshot the thread holds, if any (gets and a scan through it
     * must show its keys as they were when it was taken), then takes a new one over up to 16
     * keys; the thread's other operations run while it is held.
     */
    SNAPSHOT
}
