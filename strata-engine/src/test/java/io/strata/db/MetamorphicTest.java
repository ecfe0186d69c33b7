package io.strata.db;

import static io.strata.db.ModelBasedTest.copy;
import static io.strata.db.ModelBasedTest.hex;
import static io.strata.db.ModelBasedTest.newModel;
import static io.strata.db.ModelBasedTest.range;

import io.strata.Compression;
import io.strata.Options;
import io.strata.ReadOptions;
import io.strata.Snapshot;
import io.strata.StrataDb;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Metamorphic testing (after Pebble's): one random operation sequence, replayed against stores
 * under very different options (write buffer, block size, compression, compaction shape and
 * threads, block cache, whether reopen points close the store), must give every read the same
 * result in every configuration, and the result a {@link java.util.TreeMap} model gives. Options
 * change where data lives (memtables, level 0, deeper levels, blocks, caches), never what a read
 * returns, so any difference is a bug in one of those paths. The seed is printed; a failure
 * names the first operation where some configuration diverged, the configuration, and the
 * expected and found results.
 *
 * <p>{@code -Dstrata.metamorphic.seeds=N} (seeds 1..N) and {@code -Dstrata.metamorphic.ops=N}
 * make a longer run; {@code -Dstrata.metamorphic.seed=S} replays one seed.
 */
class MetamorphicTest {
    private static final int DEFAULT_OPS = 2500;

    @TempDir
    Path tmp;

    static LongStream seeds() {
        String seed = System.getProperty("strata.metamorphic.seed");
        if (seed != null) {
            return LongStream.of(Long.decode(seed));
        }
        String count = System.getProperty("strata.metamorphic.seeds");
        return count != null ? LongStream.rangeClosed(1, Long.parseLong(count)) : LongStream.of(17, 4711, 90210);
    }

    /** A named option set, and whether its store really closes and reopens at reopen points. */
    record Config(String name, Supplier<Options> options, boolean reopens) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Config> configs() {
        return List.of(
                new Config("defaults (64 MiB buffer, 4 KiB blocks, LZ4, cache on)", Options::new, true),
                new Config(
                        "tiny buffer, 256 B blocks, no compression, L0 trigger 2, small levels, no cache",
                        () -> new Options()
                                .writeBufferSize(4096)
                                .blockSize(256)
                                .blockRestartInterval(2)
                                .compression(Compression.NONE)
                                .level0FileNumCompactionTrigger(2)
                                .maxBytesForLevelBase(16 * 1024)
                                .maxBytesForLevelMultiplier(2)
                                .targetFileSize(8 * 1024)
                                .blockCacheSize(0),
                        true),
                new Config(
                        "8 KiB buffer, 1 KiB blocks, Zstd, L0 trigger 3, 2 compaction threads, no reopens",
                        () -> new Options()
                                .writeBufferSize(8192)
                                .blockSize(1024)
                                .compression(Compression.ZSTD)
                                .level0FileNumCompactionTrigger(3)
                                .maxBytesForLevelBase(64 * 1024)
                                .maxBytesForLevelMultiplier(3)
                                .targetFileSize(16 * 1024)
                                .compactionThreads(2),
                        false),
                new Config(
                        "32 KiB buffer, 64 KiB blocks, LZ4, L0 trigger 8, no bloom filter, no cache",
                        () -> new Options()
                                .writeBufferSize(32 * 1024)
                                .blockSize(64 * 1024)
                                .level0FileNumCompactionTrigger(8)
                                .bloomBitsPerKey(0)
                                .blockCacheSize(0),
                        true),
                new Config(
                        "16 KiB buffer, 512 B blocks, Zstd, one immutable memtable, 2 compaction threads",
                        () -> new Options()
                                .writeBufferSize(16 * 1024)
                                .blockSize(512)
                                .compression(Compression.ZSTD)
                                .maxImmutableMemtables(1)
                                .level0FileNumCompactionTrigger(2)
                                .maxBytesForLevelBase(32 * 1024)
                                .targetFileSize(8 * 1024)
                                .compactionThreads(2)
                                .blockCacheSize(64 * 1024),
                        true));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyConfigurationReadsTheSame(long seed) {
        int count = Integer.getInteger("strata.metamorphic.ops", DEFAULT_OPS);
        List<MetamorphicOps.Op> ops = MetamorphicOps.generate(seed, count);
        System.out.printf(
                "MetamorphicTest seed=%d ops=%d configurations=%d%n",
                seed, count, configs().size());
        ModelTarget model = new ModelTarget();
        List<List<String>> expected = new ArrayList<>(ops.size());
        for (MetamorphicOps.Op op : ops) {
            expected.add(op.run(model));
        }
        List<String> divergences = new ArrayList<>();
        int firstAt = Integer.MAX_VALUE;
        for (Config c : configs()) {
            long start = System.nanoTime();
            DbTarget target = new DbTarget(tmp.resolve("db-" + configs().indexOf(c)), c);
            try {
                List<List<String>> found = replay(ops, target);
                int at = firstDifference(expected, found);
                if (at >= 0) {
                    firstAt = Math.min(firstAt, at);
                    divergences.add(
                            describe(at, ops.get(at), c, expected.get(at), at < found.size() ? found.get(at) : null));
                }
                System.out.printf("  %-95s %6d ms, %s%n", c, (System.nanoTime() - start) / 1_000_000, target.shape());
            } finally {
                target.close();
            }
        }
        if (!divergences.isEmpty()) {
            throw new AssertionError("seed " + seed + ": first divergence at op #" + firstAt + "\n"
                    + String.join("\n", divergences) + "\nreproduce with -Dstrata.metamorphic.seed=" + seed);
        }
    }

    /** The result of every operation (null for writes); stops after the first read that throws. */
    private static List<List<String>> replay(List<MetamorphicOps.Op> ops, MetamorphicOps.Target target) {
        List<List<String>> results = new ArrayList<>(ops.size());
        for (MetamorphicOps.Op op : ops) {
            try {
                results.add(op.run(target));
            } catch (RuntimeException e) {
                results.add(List.of("threw " + e));
                break;
            }
        }
        return results;
    }

    private static int firstDifference(List<List<String>> expected, List<List<String>> found) {
        for (int i = 0; i < expected.size(); i++) {
            if (i >= found.size() || !Objects.equals(expected.get(i), found.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(int at, MetamorphicOps.Op op, Config c, List<String> expected, List<String> found) {
        StringBuilder s = new StringBuilder("  op #" + at + " (" + op + ") under [" + c + "]: ");
        if (found == null || expected == null) {
            return s.append("expected ")
                    .append(expected)
                    .append(" but found ")
                    .append(found)
                    .toString();
        }
        int i = 0;
        while (i < expected.size() && i < found.size() && expected.get(i).equals(found.get(i))) {
            i++;
        }
        return s.append(expected.size())
                .append(" lines expected, ")
                .append(found.size())
                .append(" found; line ")
                .append(i)
                .append(": expected ")
                .append(i < expected.size() ? shorten(expected.get(i)) : "nothing")
                .append(" but found ")
                .append(i < found.size() ? shorten(found.get(i)) : "nothing")
                .toString();
    }

    /** A result line cut to a readable length (a value may be kilobytes of hex). */
    private static String shorten(String line) {
        return line.length() <= 120 ? line : line.substring(0, 120) + "... (" + line.length() + " chars)";
    }

    /** The reference: a sorted map, and copies of it for snapshots. */
    private static final class ModelTarget implements MetamorphicOps.Target {
        private final NavigableMap<byte[], byte[]> model = newModel();
        private final Map<Integer, NavigableMap<byte[], byte[]>> snapshots = new HashMap<>();

        private NavigableMap<byte[], byte[]> at(int snapshot) {
            return snapshot == 0 ? model : snapshots.get(snapshot);
        }

        @Override
        public void put(byte[] key, byte[] value) {
            model.put(key, value);
        }

        @Override
        public void delete(byte[] key) {
            model.remove(key);
        }

        @Override
        public void write(List<byte[][]> entries) {
            for (byte[][] e : entries) {
                if (e[1] == null) {
                    model.remove(e[0]);
                } else {
                    model.put(e[0], e[1]);
                }
            }
        }

        @Override
        public byte[] get(byte[] key, int snapshot) {
            return at(snapshot).get(key);
        }

        @Override
        public List<String> scan(byte[] lower, byte[] upper, byte[] seek, int snapshot) {
            // As the store's iterator does, a seek below the lower bound starts at the bound.
            byte[] from = seek == null || (lower != null && Arrays.compareUnsigned(seek, lower) < 0) ? lower : seek;
            NavigableMap<byte[], byte[]> r = range(at(snapshot), from, upper);
            List<String> lines = new ArrayList<>();
            r.forEach((k, v) -> lines.add(hex(k) + "=" + hex(v)));
            return lines;
        }

        @Override
        public List<String> walk(
                byte[] lower, byte[] upper, MetamorphicOps.Start start, byte[] from, String moves, int snapshot) {
            NavigableMap<byte[], byte[]> r = range(at(snapshot), lower, upper);
            byte[] k = switch (start) {
                case FIRST -> r.isEmpty() ? null : r.firstKey();
                case LAST -> r.isEmpty() ? null : r.lastKey();
                case SEEK -> r.ceilingKey(from);
                case SEEK_FOR_PREV -> r.floorKey(from);
            };
            List<String> lines = new ArrayList<>();
            for (int i = 0; ; i++) {
                if (k == null) {
                    lines.add("end");
                    return lines;
                }
                lines.add(hex(k) + "=" + hex(r.get(k)));
                if (i == moves.length()) {
                    return lines;
                }
                k = moves.charAt(i) == 'n' ? r.higherKey(k) : r.lowerKey(k);
            }
        }

        @Override
        public void takeSnapshot(int id) {
            snapshots.put(id, copy(model));
        }

        @Override
        public void releaseSnapshot(int id) {
            snapshots.remove(id);
        }

        @Override
        public void flush() {}

        @Override
        public void compactRange(byte[] begin, byte[] end) {}

        @Override
        public void reopen() {
            snapshots.clear();
        }
    }

    /** A store under one configuration. */
    private static final class DbTarget implements MetamorphicOps.Target {
        private final Path dir;
        private final Config config;
        private final Map<Integer, Snapshot> snapshots = new HashMap<>();
        private StrataDb db;
        private int reopens;

        DbTarget(Path dir, Config config) {
            this.dir = dir;
            this.config = config;
            this.db = StrataDb.open(dir, config.options().get());
        }

        private ReadOptions at(int snapshot) {
            return snapshot == 0 ? new ReadOptions() : new ReadOptions().snapshot(snapshots.get(snapshot));
        }

        @Override
        public void put(byte[] key, byte[] value) {
            db.put(key, value);
        }

        @Override
        public void delete(byte[] key) {
            db.delete(key);
        }

        @Override
        public void write(List<byte[][]> entries) {
            WriteBatch b = new WriteBatch();
            for (byte[][] e : entries) {
                if (e[1] == null) {
                    b.delete(e[0]);
                } else {
                    b.put(e[0], e[1]);
                }
            }
            db.write(b);
        }

        @Override
        public byte[] get(byte[] key, int snapshot) {
            return db.get(key, at(snapshot));
        }

        @Override
        public List<String> scan(byte[] lower, byte[] upper, byte[] seek, int snapshot) {
            List<String> lines = new ArrayList<>();
            try (StrataIterator it = db.iterator(at(snapshot).lowerBound(lower).upperBound(upper))) {
                if (seek == null) {
                    it.seekToFirst();
                } else {
                    it.seek(seek);
                }
                for (; it.valid(); it.next()) {
                    lines.add(hex(it.key()) + "=" + hex(it.value()));
                }
            }
            return lines;
        }

        @Override
        public List<String> walk(
                byte[] lower, byte[] upper, MetamorphicOps.Start start, byte[] from, String moves, int snapshot) {
            List<String> lines = new ArrayList<>();
            try (StrataIterator it = db.iterator(at(snapshot).lowerBound(lower).upperBound(upper))) {
                switch (start) {
                    case FIRST -> it.seekToFirst();
                    case LAST -> it.seekToLast();
                    case SEEK -> it.seek(from);
                    case SEEK_FOR_PREV -> it.seekForPrev(from);
                }
                for (int i = 0; ; i++) {
                    if (!it.valid()) {
                        lines.add("end");
                        return lines;
                    }
                    lines.add(hex(it.key()) + "=" + hex(it.value()));
                    if (i == moves.length()) {
                        return lines;
                    }
                    if (moves.charAt(i) == 'n') {
                        it.next();
                    } else {
                        it.prev();
                    }
                }
            }
        }

        @Override
        public void takeSnapshot(int id) {
            snapshots.put(id, db.snapshot());
        }

        @Override
        public void releaseSnapshot(int id) {
            snapshots.remove(id).close();
        }

        @Override
        public void flush() {
            db.flush();
        }

        @Override
        public void compactRange(byte[] begin, byte[] end) {
            db.compactRange(begin, end);
        }

        @Override
        public void reopen() {
            snapshots.values().forEach(Snapshot::close);
            snapshots.clear();
            if (config.reopens()) {
                db.close();
                db = StrataDb.open(dir, config.options().get());
                reopens++;
            }
        }

        /** Where the data ended up, to show that the configurations differ. */
        String shape() {
            StringBuilder files = new StringBuilder();
            for (int level = 0; level < 7; level++) {
                files.append(level == 0 ? "" : "/").append(db.getProperty("strata.num-files-at-level" + level));
            }
            return "files per level " + files + ", " + db.getProperty("strata.flushes") + " flushes and "
                    + db.getProperty("strata.compactions") + " compactions since the last open, " + reopens
                    + " reopens";
        }

        void close() {
            db.close();
        }
    }
}
