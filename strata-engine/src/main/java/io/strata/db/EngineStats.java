package io.strata.db;

import io.strata.version.Version;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the engine's background work and ingest, updated lock-free by the threads that
 * do the work and read by {@link StoreMetrics}. Per-level arrays are indexed by the level a
 * compaction writes to.
 */
final class EngineStats {
    final LongAdder flushes = new LongAdder();
    final LongAdder flushFailures = new LongAdder();
    final LongAdder flushBytes = new LongAdder();
    final LongAdder compactionFailures = new LongAdder();
    final LongAdder entriesDropped = new LongAdder();
    final AtomicLongArray compactions = new AtomicLongArray(Version.NUM_LEVELS);
    final AtomicLongArray compactionBytesRead = new AtomicLongArray(Version.NUM_LEVELS);
    final AtomicLongArray compactionBytesWritten = new AtomicLongArray(Version.NUM_LEVELS);
    final AtomicLongArray compactionMicros = new AtomicLongArray(Version.NUM_LEVELS);

    void compacted(int outputLevel, long read, long written, long dropped, long micros) {
        compactions.incrementAndGet(outputLevel);
        compactionBytesRead.addAndGet(outputLevel, read);
        compactionBytesWritten.addAndGet(outputLevel, written);
        compactionMicros.addAndGet(outputLevel, micros);
        entriesDropped.add(dropped);
    }

    static long sum(AtomicLongArray a) {
        long total = 0;
        for (int i = 0; i < a.length(); i++) {
            total += a.get(i);
        }
        return total;
    }

    /**
     * Bytes written to tables (flushes and compactions) per byte flushed: how many times the
     * store rewrote what it was given. 0 before the first flush.
     */
    double writeAmplification() {
        long flushed = flushBytes.sum();
        return flushed == 0 ? 0 : (double) (flushed + sum(compactionBytesWritten)) / flushed;
    }
}
