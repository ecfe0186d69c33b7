package io.strata;

import java.util.Arrays;
import java.util.List;

/**
 * A snapshot of a store's counters and shape, for export as metrics ({@link StrataDb#statistics()}).
 * Counters count from the store's open. {@code writeAmplification} is bytes written to tables
 * (flushes and compactions) per byte flushed.
 *
 * @param filesPerLevel table files at levels 0..6
 * @param bytesPerLevel table bytes at levels 0..6
 * @param stallWrites writes that waited, by {@link WriteStallReason} in the order of its constants
 * @param stallMillis milliseconds waited, by the same reasons
 * @param blockCacheHits data-block lookups the block cache answered (0 when it is disabled)
 * @param blockCacheMisses data-block lookups that read the file
 * @param blockCacheBytes bytes the block cache holds
 * @param openTables table files open now
 */
public record Statistics(
        long lastSequence,
        long bytesIngested,
        long memtableBytes,
        int immutableMemtables,
        List<Integer> filesPerLevel,
        List<Long> bytesPerLevel,
        long flushes,
        long flushBytes,
        long flushFailures,
        long compactions,
        long compactionBytesRead,
        long compactionBytesWritten,
        long compactionFailures,
        double writeAmplification,
        List<Long> stallWrites,
        List<Long> stallMillis,
        long blockCacheHits,
        long blockCacheMisses,
        long blockCacheBytes,
        int openTables) {

    /** The labels of {@link #stallWrites()} and {@link #stallMillis()}, in order: the {@link WriteStallReason}s'. */
    public static final List<String> STALL_REASONS = Arrays.stream(WriteStallReason.values())
            .map(WriteStallReason::label)
            .toList();
}
