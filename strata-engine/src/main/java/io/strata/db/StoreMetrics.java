package io.strata.db;

import io.strata.Statistics;
import io.strata.WriteStallReason;
import io.strata.cache.BlockCache;
import io.strata.cache.TableCache;
import io.strata.memtable.MemTable;
import io.strata.version.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What a store reports about itself at one moment, in its three shapes: a named property
 * ({@link io.strata.StrataDb#getProperty}), the {@link Statistics} record, and the {@code
 * strata.stats} text. Built from what the store publishes (its read state, counters that are
 * updated lock-free); only the compaction scores need the store's mutex, and are read through
 * {@code compaction} when the text asks for them.
 */
final class StoreMetrics {
    private static final String LEVEL_FILES = "strata.num-files-at-level";

    /** The compaction picker's level scores and the number of compactions running. */
    record CompactionLoad(double[] scores, int running) {}

    private final ReadState state;
    private final boolean walEnabled;
    private final long lastSequence;
    private final long bytesIngested;
    private final EngineStats stats;
    private final WriteStalls stalls;
    private final TableCache tables;
    private final int liveSnapshots;
    private final Throwable backgroundError;
    private final Throwable compactionError;
    private final Supplier<CompactionLoad> compaction;

    StoreMetrics(
            ReadState state,
            boolean walEnabled,
            long lastSequence,
            long bytesIngested,
            EngineStats stats,
            WriteStalls stalls,
            TableCache tables,
            int liveSnapshots,
            Throwable backgroundError,
            Throwable compactionError,
            Supplier<CompactionLoad> compaction) {
        this.state = state;
        this.walEnabled = walEnabled;
        this.lastSequence = lastSequence;
        this.bytesIngested = bytesIngested;
        this.stats = stats;
        this.stalls = stalls;
        this.tables = tables;
        this.liveSnapshots = liveSnapshots;
        this.backgroundError = backgroundError;
        this.compactionError = compactionError;
        this.compaction = compaction;
    }

    /** The property {@code name}, or null for a name the store does not know. */
    String property(String name) {
        Version v = state.version();
        if (name.startsWith(LEVEL_FILES)) {
            try {
                int level = Integer.parseInt(name.substring(LEVEL_FILES.length()));
                return level >= 0 && level < Version.NUM_LEVELS ? Integer.toString(v.numFiles(level)) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        BlockCache cache = tables.blockCache();
        return switch (name) {
            case "strata.num-immutable-memtables" ->
                Integer.toString(state.immutables().size());
            case "strata.last-sequence" -> Long.toString(lastSequence);
            case "strata.wal-enabled" -> Boolean.toString(walEnabled);
            case "strata.memtable-bytes" -> Long.toString(memtableBytes());
            case "strata.write-stalls" -> Long.toString(stalls.count());
            case "strata.live-sst-bytes" -> Long.toString(liveTableBytes());
            case "strata.flushes" -> Long.toString(stats.flushes.sum());
            case "strata.compactions" -> Long.toString(EngineStats.sum(stats.compactions));
            case "strata.write-amplification" -> format("%.2f", stats.writeAmplification());
            case "strata.compaction-error" -> compactionError == null ? "" : compactionError.toString();
            case "strata.background-error" -> backgroundError == null ? "" : backgroundError.toString();
            case "strata.block-cache-hit-ratio" -> format("%.4f", cache == null ? 0.0 : cache.hitRatio());
            case "strata.block-cache-usage" -> Long.toString(cache == null ? 0 : cache.usedBytes());
            case "strata.open-tables" -> Integer.toString(tables.openFiles());
            case "strata.stats" -> report();
            default -> null;
        };
    }

    Statistics statistics() {
        Version v = state.version();
        List<Integer> files = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            files.add(v.numFiles(level));
            bytes.add(v.levelBytes(level));
        }
        List<Long> stallWrites = new ArrayList<>();
        List<Long> stallMillis = new ArrayList<>();
        for (WriteStallReason r : WriteStallReason.values()) {
            stallWrites.add(stalls.count(r));
            stallMillis.add(stalls.millis(r));
        }
        BlockCache cache = tables.blockCache();
        return new Statistics(
                lastSequence,
                bytesIngested,
                memtableBytes(),
                state.immutables().size(),
                List.copyOf(files),
                List.copyOf(bytes),
                stats.flushes.sum(),
                stats.flushBytes.sum(),
                stats.flushFailures.sum(),
                EngineStats.sum(stats.compactions),
                EngineStats.sum(stats.compactionBytesRead),
                EngineStats.sum(stats.compactionBytesWritten),
                stats.compactionFailures.sum(),
                stats.writeAmplification(),
                List.copyOf(stallWrites),
                List.copyOf(stallMillis),
                cache == null ? 0 : cache.hits(),
                cache == null ? 0 : cache.misses(),
                cache == null ? 0 : cache.usedBytes(),
                tables.openFiles());
    }

    /** The {@code strata.stats} text: per-level shape and work, ingest, stalls, memtables, caches, errors. */
    String report() {
        Version v = state.version();
        CompactionLoad load = compaction.get();
        StringBuilder sb = new StringBuilder();
        sb.append("** Compaction stats **\n");
        sb.append(format(
                "%-5s %6s %10s %6s %10s %10s %6s %9s%n",
                "Level", "Files", "Size(MB)", "Score", "Read(MB)", "Write(MB)", "Comps", "Comp(sec)"));
        long totalFiles = 0;
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            totalFiles += v.numFiles(level);
            sb.append(format(
                    "L%-4d %6d %10.1f %6.2f %10.1f %10.1f %6d %9.1f%n",
                    level,
                    v.numFiles(level),
                    mb(v.levelBytes(level)),
                    level < load.scores().length ? load.scores()[level] : 0.0,
                    mb(stats.compactionBytesRead.get(level)),
                    mb(stats.compactionBytesWritten.get(level)),
                    stats.compactions.get(level),
                    stats.compactionMicros.get(level) / 1e6));
        }
        sb.append(format(
                "%-5s %6d %10.1f %6s %10.1f %10.1f %6d %9.1f%n",
                "Sum",
                totalFiles,
                mb(liveTableBytes()),
                "",
                mb(EngineStats.sum(stats.compactionBytesRead)),
                mb(EngineStats.sum(stats.compactionBytesWritten)),
                EngineStats.sum(stats.compactions),
                EngineStats.sum(stats.compactionMicros) / 1e6));
        sb.append(format(
                "ingest: %.1f MB %s; flushes: %d (%.1f MB), failed attempts: %d%n",
                mb(bytesIngested),
                walEnabled ? "logged" : "written without a WAL",
                stats.flushes.sum(),
                mb(stats.flushBytes.sum()),
                stats.flushFailures.sum()));
        sb.append(format(
                "write amplification: %.2f; compactions running: %d, failed attempts: %d, entries dropped: %d%n",
                stats.writeAmplification(),
                load.running(),
                stats.compactionFailures.sum(),
                stats.entriesDropped.sum()));
        sb.append("write stalls:");
        for (WriteStallReason r : WriteStallReason.values()) {
            sb.append(format(" %s %d writes / %d ms;", r.label(), stalls.count(r), stalls.millis(r)));
        }
        sb.append('\n');
        sb.append(format(
                "memtables: active %d bytes, %d immutable, %d bytes in all%n",
                state.active().approximateMemoryUsage(), state.immutables().size(), memtableBytes()));
        sb.append(format("last sequence: %d, live snapshots: %d%n", lastSequence, liveSnapshots));
        BlockCache c = tables.blockCache();
        if (c == null) {
            sb.append("block cache: disabled\n");
        } else {
            sb.append(format(
                    "block cache: %d of %d bytes in %d blocks, %d hits, %d misses, hit ratio %.4f%n",
                    c.usedBytes(), c.capacity(), c.blockCount(), c.hits(), c.misses(), c.hitRatio()));
        }
        sb.append(format(
                "table cache: %d open tables (limit %d), %d opens, %d bytes of index and filter blocks%n",
                tables.openFiles(), tables.maxOpenFiles(), tables.opens(), tables.pinnedBytes()));
        sb.append("background error: ")
                .append(backgroundError == null ? "none" : backgroundError.toString())
                .append('\n');
        sb.append("compaction error: ")
                .append(compactionError == null ? "none" : compactionError.toString())
                .append('\n');
        return sb.toString();
    }

    private long memtableBytes() {
        long bytes = state.active().approximateMemoryUsage();
        for (MemTable m : state.immutables()) {
            bytes += m.approximateMemoryUsage();
        }
        return bytes;
    }

    private long liveTableBytes() {
        long bytes = 0;
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            bytes += state.version().levelBytes(level);
        }
        return bytes;
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** Numbers with a decimal point whatever the default locale: properties are read by programs. */
    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
