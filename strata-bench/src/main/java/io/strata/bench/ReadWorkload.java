package io.strata.bench;

/** A workload that only reads: it runs on a loaded store and leaves it loaded. */
interface ReadWorkload extends Workload {
    @Override
    default boolean fresh() {
        return false;
    }

    @Override
    default boolean leavesLoaded() {
        return true;
    }
}
