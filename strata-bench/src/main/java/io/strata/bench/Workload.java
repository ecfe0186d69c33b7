package io.strata.bench;

/**
 * One db_bench workload. A workload either starts on a new, empty store ({@link #fresh()}) or
 * needs the store loaded: every key of {@code [0, num)} present with a value of its own (the
 * parent loads one first when the workload before did not leave it so).
 */
interface Workload {
    String name();

    /** Whether it starts on a new, empty store (else on a loaded one). */
    boolean fresh();

    /** Whether it leaves every key of {@code [0, num)} present with a value of its own. */
    boolean leavesLoaded();

    /** Whether it writes (the store is then flushed, and write amplification reported). */
    default boolean writes() {
        return false;
    }

    /** Whether every write waits for an fsync (the store is opened so). */
    default boolean sync() {
        return false;
    }

    /** Whether it iterates backwards (it runs only on engines that can). */
    default boolean backwards() {
        return false;
    }

    /** User bytes one operation handles, for MB/s and write amplification: a key and a value. */
    default long bytesPerOp(BenchConfig c) {
        return (long) c.keySize() + c.valueSize();
    }

    /** Runs the timed part; returns the operations done. Throws if the store read back wrong. */
    long run(Trial trial) throws Exception;

    /** After the timed part: checks a sample of what it wrote (untimed), throwing if wrong. */
    default void verify(Trial trial) throws Exception {}

    /** A salt for the workload's random choices, so that workloads draw different keys. */
    default long salt() {
        return name().hashCode();
    }
}
