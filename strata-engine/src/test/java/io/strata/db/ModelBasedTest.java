package io.strata.db;

import io.strata.Options;
import io.strata.ReadOptions;
import io.strata.Snapshot;
import io.strata.StrataDb;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import io.strata.WriteOptions;
import io.strata.fs.FaultInjectionFileSystem;
import io.strata.fs.FileSystem;
import io.strata.fs.LocalFileSystem;
import io.strata.key.ValueType;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random operations on a store checked, one by one, against a {@link TreeMap} in unsigned
 * byte order: puts, deletes, mixed batches, gets, full and bounded scans with seeks,
 * snapshots (reads through them are checked against a copy of the model taken when they were
 * made), iterators held open across later writes, flushes and close + reopen. A small key
 * space makes overwrites and deletes hit; a small write buffer makes memtable swaps and many
 * level-0 tables happen; for some seeds flushes are slowed down, so that memtables queue
 * for flush, writes stall, and closes happen with memtables still waiting.
 *
 * <p>The compaction profile ({@link #compactionsKeepTheStoreASortedMap}) runs the same
 * operations with options that make compactions frequent (tiny write buffer, target file size
 * and level-1 size, low level-0 trigger, one or two compaction threads, in some seeds low
 * level-0 stall triggers), and adds {@code compactRange} over the whole key space and over
 * random sub-ranges, so that compactions run while iterators are held open and snapshots are
 * live (both are checked against the model copy taken when they were made), and a purge
 * check: release every snapshot, compact everything, then read the live tables the MANIFEST
 * names and check they hold exactly one version of each live key, no tombstone and nothing
 * else.
 *
 * <p>Each seed is printed; a failure names the seed and the operation index, with the last
 * operations. To reproduce one seed: {@code -Dstrata.model.seed=N} (and
 * {@code -Dstrata.model.ops=N} for a longer run).
 */
class ModelBasedTest {
    private static final int DEFAULT_OPS = 4000;
    private static final int DEFAULT_COMPACTION_OPS = 3000;
    private static final int MAX_SNAPSHOTS = 4;
    private static final int MAX_PINNED = 3;
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path tmp;

    static LongStream seeds() {
        String seed = System.getProperty("strata.model.seed");
        if (seed != null) {
            return LongStream.of(Long.decode(seed));
        }
        return LongStream.of(1, 7, 42, 1234567, 0x5EED_CAFEL, 20240611);
    }

    static LongStream compactionSeeds() {
        String seed = System.getProperty("strata.model.seed");
        if (seed != null) {
            return LongStream.of(Long.decode(seed));
        }
        return LongStream.of(3, 11, 505, 4242, 0xC0FFEEL, 20250101);
    }

    /** What a run does besides the operations of the part-1 model. */
    enum Profile {
        /** Default compaction options: compactions are rare. */
        BASIC,
        /** Options that make compactions frequent, plus compactRange and purge checks. */
        COMPACTION
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void storeBehavesLikeASortedMap(long seed) {
        runSeed(seed, Profile.BASIC, Integer.getInteger("strata.model.ops", DEFAULT_OPS));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("compactionSeeds")
    void compactionsKeepTheStoreASortedMap(long seed) {
        runSeed(seed, Profile.COMPACTION, Integer.getInteger("strata.model.ops", DEFAULT_COMPACTION_OPS));
    }

    private void runSeed(long seed, Profile profile, int ops) {
        long start = System.nanoTime();
        Run run = new Run(seed, profile, tmp.resolve("db"));
        System.out.printf("ModelBasedTest %s seed=%d ops=%d %s%n", profile, seed, ops, run.describeOptions());
        String stats;
        try {
            for (run.opIndex = 0; run.opIndex < ops; run.opIndex++) {
                run.step();
            }
            if (profile == Profile.COMPACTION) {
                run.purgeCheck();
            }
            run.op("final check after reopen");
            run.reopen();
            run.checkAll(run.model, null);
            stats = run.stats();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(
                    profile + " seed " + seed + ", op #" + run.opIndex + " (" + run.current
                            + ") failed: " + e.getMessage() + "\nlast operations (oldest first):\n  "
                            + String.join("\n  ", run.history) + "\nreproduce with -Dstrata.model.seed=" + seed,
                    e);
        } finally {
            run.closeQuietly();
        }
        System.out.printf(
                "ModelBasedTest %s seed=%d passed in %d ms: %s%n",
                profile, seed, (System.nanoTime() - start) / 1_000_000, stats);
    }

    /** A snapshot and the model as it was when the snapshot was taken. */
    private record SnapshotModel(Snapshot snapshot, NavigableMap<byte[], byte[]> model, int takenAt) {}

    /** An iterator opened earlier, stepped a little at each later operation, and what it must yield. */
    private static final class Pinned {
        final StrataIterator it;
        final Iterator<Map.Entry<byte[], byte[]>> expected;
        final int openedAt;
        final String what;

        Pinned(StrataIterator it, Iterator<Map.Entry<byte[], byte[]>> expected, int openedAt, String what) {
            this.it = it;
            this.expected = expected;
            this.openedAt = openedAt;
            this.what = what;
        }
    }

    private static final class Run {
        final Profile profile;
        final Random rnd;
        final Path dir;
        final int writeBufferSize;
        /** Delay before each table fsync (0 for none): slow flushes make memtables queue and writes stall. */
        final int flushDelayMs;

        final FileSystem fs;
        final List<byte[]> keys;
        /** Compaction options of the COMPACTION profile (unused in BASIC). */
        long targetFileSize;

        long levelBase;
        int multiplier;
        int trigger;
        int slowdownTrigger;
        int stopTrigger;
        int compactionThreads;
        final NavigableMap<byte[], byte[]> model = newModel();
        final List<SnapshotModel> snapshots = new ArrayList<>();
        final List<Pinned> pinned = new ArrayList<>();
        final ArrayDeque<String> history = new ArrayDeque<>();
        final int[] counts = new int[16];
        StrataDb db;
        int opIndex;
        String current = "open";
        long stallsBeforeReopen;
        long compactionsBeforeReopen;
        long purgedBytes;
        int deepestLevelSeen;

        Run(long seed, Profile profile, Path dir) {
            this.profile = profile;
            this.rnd = new Random(seed);
            this.dir = dir;
            // 4, 8, 16 or 32 KiB; at most 16 KiB when compactions are to be frequent.
            this.writeBufferSize = 4096 << rnd.nextInt(profile == Profile.COMPACTION ? 3 : 4);
            this.flushDelayMs = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(15);
            FaultInjectionFileSystem slow = new FaultInjectionFileSystem();
            slow.setFault(FaultInjectionFileSystem.delay(
                    FaultInjectionFileSystem.Op.SYNC, FaultInjectionFileSystem.named(".sst"), flushDelayMs));
            this.fs = flushDelayMs == 0 ? LocalFileSystem.INSTANCE : slow;
            // More keys when compacting, so that the live data spans several levels.
            this.keys = keySpace(rnd, profile == Profile.COMPACTION ? 300 + rnd.nextInt(900) : 60 + rnd.nextInt(200));
            if (profile == Profile.COMPACTION) {
                targetFileSize = 16384L << rnd.nextInt(2); // 16 or 32 KiB
                levelBase = 64 * 1024;
                multiplier = 2 + rnd.nextInt(3);
                trigger = 2 + rnd.nextInt(3);
                // Some seeds stall writes on level 0 (the model's single thread then waits for
                // a compaction); the others keep the defaults.
                boolean lowStalls = rnd.nextBoolean();
                slowdownTrigger = lowStalls ? trigger + 1 + rnd.nextInt(3) : 20;
                stopTrigger = lowStalls ? slowdownTrigger + 1 + rnd.nextInt(3) : 36;
                compactionThreads = 1 + rnd.nextInt(2);
            }
            this.db = StrataDb.open(dir, options());
        }

        Options options() {
            Options o = new Options()
                    .fileSystem(fs)
                    .writeBufferSize(writeBufferSize)
                    .blockSize(256 + rnd.nextInt(2048))
                    .blockRestartInterval(1 + rnd.nextInt(16))
                    .maxImmutableMemtables(1 + rnd.nextInt(3));
            if (profile == Profile.COMPACTION) {
                o.targetFileSize(targetFileSize)
                        .maxBytesForLevelBase(levelBase)
                        .maxBytesForLevelMultiplier(multiplier)
                        .level0FileNumCompactionTrigger(trigger)
                        .level0SlowdownWritesTrigger(slowdownTrigger)
                        .level0StopWritesTrigger(stopTrigger)
                        .compactionThreads(compactionThreads);
            }
            return o;
        }

        String describeOptions() {
            String base = String.format(
                    "writeBufferSize=%d flushDelayMs=%d keys=%d", writeBufferSize, flushDelayMs, keys.size());
            if (profile == Profile.BASIC) {
                return base;
            }
            return base
                    + String.format(
                            " targetFileSize=%d levelBase=%d multiplier=%d level0 triggers=%d/%d/%d"
                                    + " compactionThreads=%d",
                            targetFileSize,
                            levelBase,
                            multiplier,
                            trigger,
                            slowdownTrigger,
                            stopTrigger,
                            compactionThreads);
        }

        void op(String what) {
            current = what;
            history.addLast("#" + opIndex + " " + what);
            if (history.size() > 25) {
                history.removeFirst();
            }
        }

        byte[] randomKey() {
            if (rnd.nextInt(20) == 0) {
                // Possibly outside the key space (never written).
                byte[] k = new byte[1 + rnd.nextInt(7)];
                rnd.nextBytes(k);
                return k;
            }
            return keys.get(rnd.nextInt(keys.size())).clone();
        }

        byte[] randomValue() {
            byte[] v = ModelBasedTest.randomValue(rnd);
            if (v.length >= 4) {
                // Make values traceable to the operation that wrote them.
                v[0] = (byte) (opIndex >>> 24);
                v[1] = (byte) (opIndex >>> 16);
                v[2] = (byte) (opIndex >>> 8);
                v[3] = (byte) opIndex;
            }
            return v;
        }

        WriteOptions writeOptions() {
            return new WriteOptions().sync(rnd.nextInt(50) == 0);
        }

        void step() {
            stepPinned();
            int r = rnd.nextInt(1000);
            if (r < 260) {
                put();
            } else if (r < 360) {
                delete();
            } else if (r < 460) {
                batch();
            } else if (r < 640) {
                get();
            } else if (r < 670) {
                fullScan();
            } else if (r < 760) {
                boundedScan(null, model);
            } else if (r < 790) {
                takeSnapshot();
            } else if (r < 850) {
                readSnapshot();
            } else if (r < 870) {
                releaseSnapshot();
            } else if (r < 920) {
                pinIterator();
            } else if (r < 935) {
                op("flush");
                counts[8]++;
                db.flush();
            } else if (r < 941) {
                reopen();
            } else if (r < 950) {
                checkProperty();
            } else if (profile == Profile.COMPACTION && r < 965) {
                compactRange(false);
            } else if (profile == Profile.COMPACTION && r < 970) {
                compactRange(true);
            } else if (profile == Profile.COMPACTION && r < 973) {
                purgeCheck();
            } else {
                put();
            }
        }

        /**
         * Compacts the whole key space or a random sub-range (either end may be open), then
         * checks a few keys of the range; held iterators and snapshots are checked by the
         * operations that follow.
         */
        void compactRange(boolean whole) {
            byte[] begin = null;
            byte[] end = null;
            if (!whole) {
                begin = rnd.nextInt(4) == 0 ? null : randomKey();
                end = rnd.nextInt(4) == 0 ? null : randomKey();
                if (begin != null && end != null && Arrays.compareUnsigned(begin, end) > 0) {
                    byte[] t = begin;
                    begin = end;
                    end = t;
                }
            }
            op("compactRange [" + hex(begin) + ", " + hex(end) + "]");
            counts[whole ? 13 : 12]++;
            noteDeepestLevel();
            db.compactRange(begin, end);
            for (int i = 0; i < 3; i++) {
                checkGet(randomKey(), model, null);
            }
        }

        /**
         * Releases every snapshot, compacts everything, and checks that the live tables (as
         * the MANIFEST names them) hold exactly the model: one entry per live key, its current
         * value, no tombstone, no older version, no other key. Held iterators stay open: they
         * pin the files they read, not versions inside them.
         */
        void purgeCheck() {
            op("release " + snapshots.size() + " snapshots, compact everything, check the tables hold only live data");
            counts[14]++;
            for (SnapshotModel s : snapshots) {
                s.snapshot().close();
            }
            snapshots.clear();
            noteDeepestLevel();
            long before = Long.parseLong(db.getProperty("strata.live-sst-bytes"));
            db.compactRange(null, null);
            long after = Long.parseLong(db.getProperty("strata.live-sst-bytes"));
            purgedBytes += before - after;
            for (int attempt = 1; ; attempt++) {
                try {
                    checkTablesHoldExactlyTheModel();
                    return;
                } catch (IOException e) {
                    // A background compaction replaced a table between reading the MANIFEST and
                    // the table: read again.
                    if (attempt == 20) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }

        void checkTablesHoldExactlyTheModel() throws IOException {
            NavigableMap<byte[], List<String>> found = newModelOf();
            NavigableMap<byte[], byte[]> values = newModel();
            List<List<FileMetaData>> levels = StoreFiles.liveFiles(dir);
            for (int level = 0; level < levels.size(); level++) {
                for (FileMetaData f : levels.get(level)) {
                    for (StoreFiles.RawEntry e : StoreFiles.rawTableEntries(dir, f.number())) {
                        found.computeIfAbsent(e.userKey(), k -> new ArrayList<>())
                                .add("L" + level + " "
                                        + FileNames.table(f.number()) + " seq " + e.sequence()
                                        + (e.type() == ValueType.DELETION ? " tombstone" : " value"));
                        if (e.type() == ValueType.VALUE) {
                            values.put(e.userKey(), e.value());
                        }
                    }
                }
            }
            for (Map.Entry<byte[], List<String>> e : found.entrySet()) {
                byte[] k = e.getKey();
                if (e.getValue().size() != 1 || !values.containsKey(k)) {
                    throw new AssertionError("after releasing every snapshot and compacting everything, key " + hex(k)
                            + (model.containsKey(k) ? " (live)" : " (deleted)") + " still has " + e.getValue());
                }
                if (!model.containsKey(k)) {
                    throw new AssertionError("the tables hold deleted key " + hex(k) + ": " + e.getValue());
                }
                if (!Arrays.equals(values.get(k), model.get(k))) {
                    throw new AssertionError("the tables hold key " + hex(k) + " with " + describe(values.get(k))
                            + ", expected " + describe(model.get(k)));
                }
            }
            if (found.size() != model.size()) {
                for (byte[] k : model.keySet()) {
                    if (!found.containsKey(k)) {
                        throw new AssertionError("after compacting everything no table holds live key " + hex(k));
                    }
                }
            }
        }

        void put() {
            byte[] k = randomKey();
            byte[] v = randomValue();
            op("put " + hex(k) + " (" + v.length + " bytes)");
            counts[0]++;
            db.put(k, v, writeOptions());
            model.put(k, v);
            if (rnd.nextInt(4) == 0) {
                checkGet(k, model, null);
            }
        }

        void delete() {
            byte[] k = randomKey();
            op("delete " + hex(k) + (model.containsKey(k) ? "" : " (absent)"));
            counts[1]++;
            db.delete(k, writeOptions());
            model.remove(k);
            if (rnd.nextInt(4) == 0) {
                checkGet(k, model, null);
            }
        }

        void batch() {
            WriteBatch batch = new WriteBatch();
            NavigableMap<byte[], byte[]> next = copy(model);
            int n = 1 + rnd.nextInt(12);
            StringBuilder desc = new StringBuilder("batch of " + n + ":");
            byte[] last = null;
            for (int i = 0; i < n; i++) {
                // Sometimes touch the same key again within the batch: the later entry must win.
                byte[] k = last != null && rnd.nextInt(5) == 0 ? last : randomKey();
                last = k;
                if (rnd.nextInt(3) == 0) {
                    batch.delete(k);
                    next.remove(k);
                    desc.append(" del ").append(hex(k));
                } else {
                    byte[] v = randomValue();
                    batch.put(k, v);
                    next.put(k, v);
                    desc.append(" put ").append(hex(k));
                }
            }
            op(desc.toString());
            counts[2]++;
            db.write(batch, writeOptions());
            model.clear();
            model.putAll(next);
        }

        void get() {
            byte[] k = randomKey();
            op("get " + hex(k));
            counts[3]++;
            checkGet(k, model, null);
        }

        void fullScan() {
            op("full scan");
            counts[4]++;
            checkAll(model, null);
        }

        /** A scan with random bounds (either may be absent), from the start and from a seek. */
        void boundedScan(SnapshotModel snap, NavigableMap<byte[], byte[]> m) {
            byte[] lower = rnd.nextInt(3) == 0 ? null : randomKey();
            byte[] upper = rnd.nextInt(3) == 0 ? null : randomKey();
            byte[] target = randomKey();
            op("scan [" + hex(lower) + ", " + hex(upper) + ") seek " + hex(target)
                    + (snap == null ? "" : " at snapshot from op #" + snap.takenAt()));
            counts[5]++;
            ReadOptions ro = new ReadOptions().lowerBound(lower).upperBound(upper);
            if (snap != null) {
                ro.snapshot(snap.snapshot());
            }
            NavigableMap<byte[], byte[]> range = range(m, lower, upper);
            try (StrataIterator it = db.iterator(ro)) {
                it.seekToFirst();
                compare(it, range.entrySet().iterator(), Integer.MAX_VALUE, "seekToFirst");
                it.seek(target);
                byte[] from = lower != null && Arrays.compareUnsigned(target, lower) < 0 ? lower : target;
                compare(it, range(m, from, upper).entrySet().iterator(), 1 + rnd.nextInt(40), "seek " + hex(target));
                it.seekToFirst();
                compare(it, range.entrySet().iterator(), 1 + rnd.nextInt(5), "seekToFirst again");
            }
        }

        void takeSnapshot() {
            if (snapshots.size() >= MAX_SNAPSHOTS) {
                releaseSnapshot();
                return;
            }
            op("take snapshot");
            counts[6]++;
            snapshots.add(new SnapshotModel(db.snapshot(), copy(model), opIndex));
        }

        void readSnapshot() {
            if (snapshots.isEmpty()) {
                takeSnapshot();
                return;
            }
            SnapshotModel s = snapshots.get(rnd.nextInt(snapshots.size()));
            counts[7]++;
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    byte[] k = randomKey();
                    op("get " + hex(k) + " at snapshot from op #" + s.takenAt());
                    checkGet(k, s.model(), s);
                }
                case 1 -> {
                    op("full scan at snapshot from op #" + s.takenAt());
                    checkAll(s.model(), s);
                }
                default -> boundedScan(s, s.model());
            }
        }

        void releaseSnapshot() {
            if (snapshots.isEmpty()) {
                return;
            }
            SnapshotModel s = snapshots.remove(rnd.nextInt(snapshots.size()));
            op("release snapshot from op #" + s.takenAt());
            s.snapshot().close();
        }

        /** Opens an iterator that later operations (writes, flushes) must not disturb. */
        void pinIterator() {
            if (pinned.size() >= MAX_PINNED) {
                return;
            }
            SnapshotModel snap =
                    !snapshots.isEmpty() && rnd.nextBoolean() ? snapshots.get(rnd.nextInt(snapshots.size())) : null;
            NavigableMap<byte[], byte[]> m = snap == null ? copy(model) : snap.model();
            byte[] lower = rnd.nextInt(2) == 0 ? null : randomKey();
            byte[] upper = rnd.nextInt(2) == 0 ? null : randomKey();
            String what = "iterator [" + hex(lower) + ", " + hex(upper) + ")"
                    + (snap == null ? "" : " at snapshot from op #" + snap.takenAt());
            op("open " + what);
            counts[9]++;
            ReadOptions ro = new ReadOptions().lowerBound(lower).upperBound(upper);
            if (snap != null) {
                ro.snapshot(snap.snapshot());
            }
            StrataIterator it = db.iterator(ro);
            it.seekToFirst();
            pinned.add(new Pinned(it, range(m, lower, upper).entrySet().iterator(), opIndex, what));
        }

        /** Advances each held iterator by a step or two and checks it; closes finished ones. */
        void stepPinned() {
            current = "advance held iterators";
            for (Iterator<Pinned> pi = pinned.iterator(); pi.hasNext(); ) {
                Pinned p = pi.next();
                String where = p.what + " opened at op #" + p.openedAt;
                int steps = 1 + rnd.nextInt(3);
                for (int i = 0; i < steps; i++) {
                    if (!p.expected.hasNext()) {
                        if (p.it.valid()) {
                            throw new AssertionError(where + ": has extra key " + hex(p.it.key()));
                        }
                        p.it.close();
                        pi.remove();
                        break;
                    }
                    Map.Entry<byte[], byte[]> e = p.expected.next();
                    if (!p.it.valid()) {
                        throw new AssertionError(where + ": ended early, expected key " + hex(e.getKey()));
                    }
                    checkEntry(p.it, e, where);
                    p.it.next();
                }
            }
        }

        void noteDeepestLevel() {
            for (int level = 1; level < 7; level++) {
                if (!db.getProperty("strata.num-files-at-level" + level).equals("0")) {
                    deepestLevelSeen = Math.max(deepestLevelSeen, level);
                }
            }
        }

        void checkProperty() {
            op("properties");
            noteDeepestLevel();
            long files = 0;
            for (int level = 0; level < 7; level++) {
                files += Long.parseLong(db.getProperty("strata.num-files-at-level" + level));
            }
            if (files < 0 || db.getProperty("strata.stats") == null) {
                throw new AssertionError("bad properties");
            }
            String error = db.getProperty("strata.background-error");
            if (!error.isEmpty()) {
                throw new AssertionError("background error: " + error);
            }
            String compactionError = db.getProperty("strata.compaction-error");
            if (!compactionError.isEmpty()) {
                throw new AssertionError("compaction error: " + compactionError);
            }
        }

        void reopen() {
            String queued = db.getProperty("strata.num-immutable-memtables");
            op("close and reopen (" + queued + " memtables wait for flush)");
            counts[10]++;
            if (!queued.equals("0")) {
                counts[11]++;
            }
            for (Pinned p : pinned) {
                p.it.close();
            }
            pinned.clear();
            for (SnapshotModel s : snapshots) {
                s.snapshot().close();
            }
            snapshots.clear();
            stallsBeforeReopen += Long.parseLong(db.getProperty("strata.write-stalls"));
            compactionsBeforeReopen += Long.parseLong(db.getProperty("strata.compactions"));
            db.close();
            db = StrataDb.open(dir, options());
            checkAll(model, null);
        }

        void checkGet(byte[] k, NavigableMap<byte[], byte[]> m, SnapshotModel snap) {
            byte[] actual = snap == null ? db.get(k) : db.get(k, new ReadOptions().snapshot(snap.snapshot()));
            byte[] expected = m.get(k);
            if (!Arrays.equals(actual, expected)) {
                throw new AssertionError(
                        "get " + hex(k) + (snap == null ? "" : " at snapshot from op #" + snap.takenAt())
                                + ": expected " + describe(expected) + " but was " + describe(actual));
            }
        }

        void checkAll(NavigableMap<byte[], byte[]> m, SnapshotModel snap) {
            ReadOptions ro = new ReadOptions();
            if (snap != null) {
                ro.snapshot(snap.snapshot());
            }
            try (StrataIterator it = db.iterator(ro)) {
                it.seekToFirst();
                compare(it, m.entrySet().iterator(), Integer.MAX_VALUE, "full scan");
            }
        }

        /** Checks that the iterator yields the expected entries (at most {@code limit} of them). */
        void compare(StrataIterator it, Iterator<Map.Entry<byte[], byte[]>> expected, int limit, String what) {
            int n = 0;
            while (n < limit && expected.hasNext()) {
                Map.Entry<byte[], byte[]> e = expected.next();
                if (!it.valid()) {
                    throw new AssertionError(
                            what + ": iterator ended after " + n + " keys, expected key " + hex(e.getKey()));
                }
                checkEntry(it, e, what + " entry " + n);
                it.next();
                n++;
            }
            if (n < limit && it.valid()) {
                throw new AssertionError(what + ": iterator has extra key " + hex(it.key()) + " after " + n + " keys");
            }
        }

        static void checkEntry(StrataIterator it, Map.Entry<byte[], byte[]> e, String what) {
            byte[] k = it.key();
            if (!Arrays.equals(k, e.getKey())) {
                throw new AssertionError(what + ": expected key " + hex(e.getKey()) + " but was " + hex(k));
            }
            byte[] v = it.value();
            if (!Arrays.equals(v, e.getValue())) {
                throw new AssertionError(
                        what + ": key " + hex(k) + ": expected " + describe(e.getValue()) + " but was " + describe(v));
            }
        }

        String stats() {
            String basic = basicStats();
            if (profile == Profile.BASIC) {
                return basic;
            }
            StringBuilder levels = new StringBuilder();
            for (int level = 0; level < 7; level++) {
                levels.append(level == 0 ? "" : "/").append(db.getProperty("strata.num-files-at-level" + level));
            }
            return basic
                    + String.format(
                            "; %d compactions, %d compactRange of sub-ranges, %d of everything, "
                                    + "%d purge checks (%d bytes freed), deepest level seen %d, files per level now %s",
                            compactionsBeforeReopen + Long.parseLong(db.getProperty("strata.compactions")),
                            counts[12],
                            counts[13],
                            counts[14],
                            purgedBytes,
                            deepestLevelSeen,
                            levels);
        }

        String basicStats() {
            return String.format(
                    "%d puts, %d deletes, %d batches, %d gets, %d full scans, %d bounded scans, "
                            + "%d snapshots, %d snapshot reads, %d flushes, %d held iterators, %d reopens "
                            + "(%d with queued memtables), %d write stalls; L0 files %s, live keys %d",
                    counts[0],
                    counts[1],
                    counts[2],
                    counts[3],
                    counts[4],
                    counts[5],
                    counts[6],
                    counts[7],
                    counts[8],
                    counts[9],
                    counts[10],
                    counts[11],
                    stallsBeforeReopen + Long.parseLong(db.getProperty("strata.write-stalls")),
                    db.getProperty("strata.num-files-at-level0"),
                    model.size());
        }

        void closeQuietly() {
            try {
                for (Pinned p : pinned) {
                    p.it.close();
                }
                db.close();
            } catch (RuntimeException e) {
                // The failure being reported matters more.
            }
        }
    }

    /**
     * {@code n} distinct keys of 1–6 bytes drawn from bytes around the signed/unsigned edges,
     * so that unsigned order, prefixes and shared prefixes all matter.
     */
    static List<byte[]> keySpace(Random rnd, int n) {
        byte[] alphabet = {0x00, 0x01, 0x41, 0x42, 0x7f, (byte) 0x80, (byte) 0x81, (byte) 0xfe, (byte) 0xff};
        NavigableMap<byte[], Boolean> set = newModelOf();
        while (set.size() < n) {
            byte[] k = new byte[1 + rnd.nextInt(6)];
            for (int i = 0; i < k.length; i++) {
                k[i] = alphabet[rnd.nextInt(alphabet.length)];
            }
            set.put(k, Boolean.TRUE);
        }
        return new ArrayList<>(set.keySet());
    }

    /** Mostly short values, some empty, one in ten 500–3500 bytes (to fill small write buffers and blocks). */
    static byte[] randomValue(Random rnd) {
        int len = switch (rnd.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 500 + rnd.nextInt(3000);
            default -> rnd.nextInt(120);
        };
        byte[] v = new byte[len];
        rnd.nextBytes(v);
        return v;
    }

    static NavigableMap<byte[], byte[]> newModel() {
        return new TreeMap<>(Arrays::compareUnsigned);
    }

    static <V> NavigableMap<byte[], V> newModelOf() {
        return new TreeMap<>(Arrays::compareUnsigned);
    }

    static NavigableMap<byte[], byte[]> copy(NavigableMap<byte[], byte[]> m) {
        NavigableMap<byte[], byte[]> c = newModel();
        c.putAll(m);
        return c;
    }

    /** The entries in [lower, upper); an empty map when upper <= lower. */
    static NavigableMap<byte[], byte[]> range(NavigableMap<byte[], byte[]> m, byte[] lower, byte[] upper) {
        if (lower != null && upper != null && Arrays.compareUnsigned(lower, upper) >= 0) {
            return newModel();
        }
        NavigableMap<byte[], byte[]> r = m;
        if (lower != null) {
            r = r.tailMap(lower, true);
        }
        if (upper != null) {
            r = r.headMap(upper, false);
        }
        return r;
    }

    static String hex(byte[] b) {
        return b == null ? "none" : HEX.formatHex(b);
    }

    static String describe(byte[] v) {
        if (v == null) {
            return "absent";
        }
        String from = v.length >= 4
                ? ", written by op #"
                        + (((v[0] & 0xff) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff))
                : "";
        return "value of " + v.length + " bytes" + from + " [" + hex(Arrays.copyOf(v, Math.min(8, v.length)))
                + (v.length > 8 ? "..." : "") + "]";
    }
}
