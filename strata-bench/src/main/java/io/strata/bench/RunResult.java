package io.strata.bench;

/**
 * One measured run of one workload on one engine, in one child JVM. Latencies are per call (a
 * batch for fillbatch, a seek with its nexts for seekrandom), in microseconds. {@code diskBytes}
 * is every file in the store's directory after it closed; {@code writeBytes} what the child
 * process caused to be written to storage from after the open until after the close
 * ({@code /proc/self/io} write_bytes; -1 where unreadable); {@code writeAmplification} that over
 * the user bytes written (null for workloads that do not write, or without write_bytes). GC time
 * and CPU time (all the process's threads, native ones too) cover the same span.
 */
record RunResult(
        int round,
        String engine,
        String compression,
        String step,
        long ops,
        double seconds,
        double opsPerSec,
        double mbPerSec,
        double p50Micros,
        double p99Micros,
        double p999Micros,
        double maxMicros,
        long diskBytes,
        long writeBytes,
        Double writeAmplification,
        long gcMillis,
        double cpuSeconds) {

    /** The engine and compression: what a column of ratios compares. */
    String variant() {
        return engine + "/" + compression;
    }
}
