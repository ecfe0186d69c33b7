package io.strata.db;

import static io.strata.db.StoreFiles.b;
import static io.strata.db.StoreFiles.contents;
import static io.strata.db.StoreFiles.liveTableCount;
import static io.strata.db.StoreFiles.longProperty;
import static io.strata.db.StoreFiles.s;
import static io.strata.db.StoreFiles.tables;
import static io.strata.fs.FaultInjectionFileSystem.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strata.Compression;
import io.strata.Options;
import io.strata.ReadOptions;
import io.strata.Snapshot;
import io.strata.StrataDb;
import io.strata.StrataException;
import io.strata.StrataIterator;
import io.strata.fs.FaultInjectionFileSystem;
import io.strata.fs.FaultInjectionFileSystem.Op;
import io.strata.util.FileNames;
import io.strata.version.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leveled compaction seen from the outside: deletes stay deleted through every compaction,
 * tombstones and shadowed versions go once nothing needs them (space returns), reads and
 * writes go on during compactions, level-0 stalls are counted by reason, a failing
 * compaction keeps its inputs and is retried, and the space and read-cost bounds that
 * docs/DESIGN.md states hold. Background work is waited for with Awaitility (generous limits), never by
 * sleeping; held-up compactions are held by a {@link BlockingFault} on the compaction
 * thread, so nothing depends on the machine's speed.
 */
class CompactionTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String COMPACTION_ERROR = "strata.compaction-error";
    private static final String LIVE_BYTES = "strata.live-sst-bytes";

    @TempDir
    Path dir;

    private static Options small() {
        return new Options()
                .writeBufferSize(16 * 1024)
                .targetFileSize(32 * 1024)
                .maxBytesForLevelBase(128 * 1024)
                .maxBytesForLevelMultiplier(4);
    }

    /** Options under which compactions happen all the time and reach several levels. */
    private static Options busy() {
        return new Options()
                .writeBufferSize(8 * 1024)
                .targetFileSize(16 * 1024)
                .maxBytesForLevelBase(64 * 1024)
                .maxBytesForLevelMultiplier(2)
                .level0FileNumCompactionTrigger(2)
                .backgroundRetryDelay(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    /** No automatic compaction (no level-0 count or level size reaches its trigger); only compactRange. */
    private static Options manualOnly(Options o) {
        return o.level0FileNumCompactionTrigger(1000)
                .level0SlowdownWritesTrigger(1000)
                .level0StopWritesTrigger(1000)
                .maxBytesForLevelBase(1L << 40);
    }

    private static boolean onCompactionThread() {
        return Thread.currentThread().getName().startsWith("strata-compact-");
    }

    private static byte[] key(int i) {
        return b(String.format("key-%08d", i));
    }

    /** A value naming its key and generation, padded with hex digits that do not compress well. */
    private static byte[] value(int i, int generation) {
        long h = CrashWriter.mix(((long) i << 20) ^ generation);
        String pad = Long.toHexString(h)
                + Long.toHexString(CrashWriter.mix(h))
                + Long.toHexString(CrashWriter.mix(~h))
                + Long.toHexString(CrashWriter.mix(h + 1));
        return b(String.format("value-%08d-%04d-", i, generation) + pad.substring(0, Math.min(60, pad.length())));
    }

    @Test
    void obsoleteInputFilesAreDeletedOnceNothingReadsThem() throws Exception {
        try (StrataDb db = StrataDb.open(dir, small())) {
            for (int i = 0; i < 5000; i++) {
                db.put(key(i % 1000), value(i % 1000, i / 1000));
            }
            db.flush();
            await().atMost(PATIENCE)
                    .until(() -> Long.parseLong(db.getProperty("strata.compactions")) > 0
                            && Long.parseLong(db.getProperty("strata.num-files-at-level0")) < 4);
            await().atMost(PATIENCE).until(() -> StoreFiles.tables(dir).size() == liveTableCount(db));
            assertThat(liveTableCount(db)).isPositive();
        }
    }

    // ---- (a) deletes survive every compaction ----

    /**
     * Keys are written and compacted down to the lowest level, then a third of them are
     * deleted; afterwards rounds of new writes, overwrites, automatic compactions and
     * compactRange of sub-ranges carry the tombstones down through every level (and drop
     * them at the bottom). No deleted key may come back, through get or an iterator, at any
     * point, nor after reopen.
     */
    @Test
    void deletedKeyStaysDeletedThroughEveryCompaction() {
        long seed = 0xDE1E7EL;
        System.out.println("deletedKeyStaysDeletedThroughEveryCompaction seed=" + seed);
        Random rnd = new Random(seed);
        NavigableMap<String, String> expected = new TreeMap<>();
        Set<String> deleted = new TreeSet<>();
        int[] levelsReached = new int[Version.NUM_LEVELS];
        long compactions = 0;
        StrataDb db = StrataDb.open(dir, busy());
        try {
            for (int i = 0; i < 3000; i++) {
                put(db, expected, s(key(i)), s(value(i, 0)));
            }
            db.compactRange(null, null);
            assertThat(db.getProperty("strata.num-files-at-level0")).isEqualTo("0");
            int deepest = deepestLevel(db);
            assertThat(deepest).as("the keys reached a lower level").isGreaterThanOrEqualTo(1);
            for (int i = 0; i < 3000; i += 3) {
                db.delete(key(i));
                expected.remove(s(key(i)));
                deleted.add(s(key(i)));
            }
            checkDeleted(db, expected, deleted, "right after the deletes");
            for (int round = 1; round <= 8; round++) {
                // New keys interleaved with the old ones, so compactions of every range happen.
                for (int j = 0; j < 600; j++) {
                    int i = rnd.nextInt(6000);
                    String k = i < 3000 ? s(key(i)) : String.format("key-%08d-new", i);
                    if (deleted.contains(k)) {
                        continue; // deleted keys stay deleted: never written again
                    }
                    put(db, expected, k, s(value(i, round)));
                }
                db.flush();
                if (round % 2 == 0) {
                    int a = rnd.nextInt(3000);
                    int z = Math.min(2999, a + rnd.nextInt(1500));
                    db.compactRange(key(a), key(z));
                }
                for (int level = 0; level < Version.NUM_LEVELS; level++) {
                    if (longProperty(db, "strata.num-files-at-level" + level) > 0) {
                        levelsReached[level]++;
                    }
                }
                checkDeleted(db, expected, deleted, "after round " + round);
                if (round == 4) {
                    compactions += longProperty(db, "strata.compactions");
                    db.close();
                    db = StrataDb.open(dir, busy());
                    checkDeleted(db, expected, deleted, "after reopen in round " + round);
                }
            }
            db.compactRange(null, null);
            checkDeleted(db, expected, deleted, "after a full compaction");
            compactions += longProperty(db, "strata.compactions");
            db.close();
            db = StrataDb.open(dir, busy());
            checkDeleted(db, expected, deleted, "after the final reopen");
            assertThat(db.getProperty(COMPACTION_ERROR)).isEmpty();
            System.out.printf(
                    "deletedKeyStaysDeletedThroughEveryCompaction: %d deleted keys stayed deleted through "
                            + "%d compactions; rounds with files per level: %s%n",
                    deleted.size(), compactions, Arrays.toString(levelsReached));
            assertThat(levelsReached[2])
                    .as("rounds in which level 2 held files")
                    .isPositive();
        } finally {
            db.close();
        }
    }

    private static void put(StrataDb db, Map<String, String> expected, String k, String v) {
        db.put(b(k), b(v));
        expected.put(k, v);
    }

    private static int deepestLevel(StrataDb db) {
        int deepest = -1;
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            if (longProperty(db, "strata.num-files-at-level" + level) > 0) {
                deepest = level;
            }
        }
        return deepest;
    }

    private static void checkDeleted(StrataDb db, Map<String, String> expected, Set<String> deleted, String when) {
        for (String k : deleted) {
            assertThat(db.get(b(k))).as("deleted key %s %s", k, when).isNull();
        }
        assertThat(contents(db)).as("the store's contents %s", when).isEqualTo(expected);
    }

    // ---- (b) tombstones go once nothing older remains ----

    /**
     * Deleting everything and compacting everything frees all the space: the tombstones
     * shadowed everything and nothing older remains. A snapshot taken before the deletes
     * keeps the old values readable through full compactions until it is released; the next
     * full compaction then frees the space.
     */
    @Test
    void tombstonesAreDroppedOnceNothingOlderRemains() throws Exception {
        // A few keys put and deleted within one memtable: one level-0 table, nothing below.
        Path tiny = dir.resolve("tiny");
        try (StrataDb db = StrataDb.open(tiny, busy())) {
            for (int i = 0; i < 10; i++) {
                db.put(key(i), value(i, 0));
            }
            for (int i = 0; i < 10; i++) {
                db.delete(key(i));
            }
            db.compactRange(null, null);
            assertThat(longProperty(db, LIVE_BYTES))
                    .as("live bytes after deleting 10 keys and compacting")
                    .isZero();
            assertThat(liveTableCount(db)).isZero();
            assertThat(tables(tiny)).isEmpty();
        }

        Path big = dir.resolve("big");
        int n = 4000;
        try (StrataDb db = StrataDb.open(big, busy())) {
            for (int i = 0; i < n; i++) {
                db.put(key(i), value(i, 0));
            }
            db.compactRange(null, null);
            long loaded = longProperty(db, LIVE_BYTES);
            assertThat(loaded).isPositive();
            Snapshot before = db.snapshot();
            for (int i = 0; i < n; i++) {
                db.delete(key(i));
            }
            db.compactRange(null, null);
            ReadOptions atSnapshot = new ReadOptions().snapshot(before);
            assertThat(contents(db)).isEmpty();
            for (int i = 0; i < n; i += 97) {
                assertThat(db.get(key(i))).isNull();
                assertThat(s(db.get(key(i), atSnapshot)))
                        .as("key %d through the snapshot", i)
                        .isEqualTo(s(value(i, 0)));
            }
            assertThat(count(db, atSnapshot))
                    .as("keys visible through the snapshot")
                    .isEqualTo(n);
            long held = longProperty(db, LIVE_BYTES);
            assertThat(held).as("the snapshot keeps the values on disk").isGreaterThanOrEqualTo(loaded);

            before.close();
            db.compactRange(null, null);
            long freed = longProperty(db, LIVE_BYTES);
            System.out.printf(
                    "tombstonesAreDroppedOnceNothingOlderRemains: live bytes %d loaded, %d with the "
                            + "snapshot held after deleting everything, %d after release%n",
                    loaded, held, freed);
            assertThat(freed).as("live bytes once the snapshot is released").isZero();
            assertThat(liveTableCount(db)).isZero();
            await().atMost(PATIENCE).until(() -> tables(big).isEmpty());
        }
        try (StrataDb db = StrataDb.open(big, busy())) {
            assertThat(contents(db)).isEmpty();
            assertThat(db.get(key(1))).isNull();
        }
    }

    private static int count(StrataDb db, ReadOptions ro) {
        int n = 0;
        try (StrataIterator it = db.iterator(ro)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                n++;
            }
        }
        return n;
    }

    // ---- (c) reads and writes go on during compactions ----

    /**
     * Two writers overwrite their own keys with rising generations and two readers check,
     * while compactRange runs again and again (and automatic compactions run too), that
     * every get returns a generation at least as new as the last one acknowledged before it
     * started, that scans are ordered and as new, and that the preloaded keys never change.
     * At the end the store holds exactly the last generation of every key, also after reopen.
     */
    @Test
    void readsAndWritesContinueDuringCompaction() throws Exception {
        long seed = 0xC0C0AL;
        System.out.println("readsAndWritesContinueDuringCompaction seed=" + seed);
        int writers = 2;
        int keysPerWriter = 500;
        int preloaded = 3000;
        AtomicIntegerArray acked = new AtomicIntegerArray(writers * keysPerWriter);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        int compactions;
        try (StrataDb db = StrataDb.open(dir, busy())) {
            for (int i = 0; i < preloaded; i++) {
                db.put(b(String.format("base-%06d", i)), b("base-value-" + i));
            }
            db.flush();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                threads.add(new Thread(
                        () -> {
                            Random rnd = new Random(seed + writer);
                            int[] gen = new int[keysPerWriter];
                            try {
                                while (!stop.get()) {
                                    int k = rnd.nextInt(keysPerWriter);
                                    int slot = writer * keysPerWriter + k;
                                    gen[k]++;
                                    db.put(b(liveKey(slot)), b(liveValue(slot, gen[k])));
                                    acked.set(slot, gen[k]);
                                    writes.incrementAndGet();
                                }
                            } catch (Throwable t) {
                                errors.add(t);
                            }
                        },
                        "writer-" + w));
            }
            for (int r = 0; r < 2; r++) {
                int reader = r;
                threads.add(new Thread(
                        () -> {
                            Random rnd = new Random(seed + 100 + reader);
                            try {
                                while (!stop.get()) {
                                    if (rnd.nextInt(50) == 0) {
                                        checkScan(db, acked);
                                    } else if (rnd.nextInt(4) == 0) {
                                        int i = rnd.nextInt(preloaded);
                                        String v = s(db.get(b(String.format("base-%06d", i))));
                                        if (!("base-value-" + i).equals(v)) {
                                            throw new AssertionError("preloaded key " + i + " reads " + v);
                                        }
                                    } else {
                                        int slot = rnd.nextInt(acked.length());
                                        int before = acked.get(slot);
                                        int got = generation(db.get(b(liveKey(slot))), slot);
                                        if (got < before) {
                                            throw new AssertionError(liveKey(slot) + ": read generation " + got
                                                    + " after generation " + before + " was acknowledged");
                                        }
                                    }
                                    reads.incrementAndGet();
                                }
                            } catch (Throwable t) {
                                errors.add(t);
                            }
                        },
                        "reader-" + r));
            }
            threads.forEach(Thread::start);
            try {
                Random rnd = new Random(seed);
                for (compactions = 0; compactions < 6 && errors.isEmpty(); compactions++) {
                    int writesBefore = writes.get();
                    if (compactions % 2 == 0) {
                        db.compactRange(null, null);
                    } else {
                        int a = rnd.nextInt(acked.length());
                        db.compactRange(b(liveKey(a)), b(liveKey(Math.min(acked.length() - 1, a + 200))));
                    }
                    // Each compaction overlaps some writes: wait for a few more before the next.
                    await().atMost(PATIENCE).until(() -> writes.get() >= writesBefore + 200 || !errors.isEmpty());
                }
            } finally {
                stop.set(true);
                for (Thread t : threads) {
                    t.join(PATIENCE.toMillis());
                }
            }
            if (!errors.isEmpty()) {
                AssertionError e = new AssertionError("errors during compaction: " + errors.peek(), errors.peek());
                errors.stream().skip(1).forEach(e::addSuppressed);
                throw e;
            }
            System.out.printf(
                    "readsAndWritesContinueDuringCompaction: %d compactRange calls, %d writes and %d reads "
                            + "meanwhile, %d compactions in all%n",
                    compactions, writes.get(), reads.get(), longProperty(db, "strata.compactions"));
            assertThat(db.getProperty(COMPACTION_ERROR)).isEmpty();
            assertThat(db.getProperty("strata.background-error")).isEmpty();
            checkFinal(db, acked, preloaded);
        }
        try (StrataDb db = StrataDb.open(dir, busy())) {
            checkFinal(db, acked, preloaded);
        }
    }

    private static String liveKey(int slot) {
        return String.format("live-%05d", slot);
    }

    private static String liveValue(int slot, int generation) {
        return "gen-" + generation + "-of-" + slot + "-" + "y".repeat(40);
    }

    /** The generation a value of {@code slot} names; 0 for no value. */
    private static int generation(byte[] value, int slot) {
        if (value == null) {
            return 0;
        }
        String v = s(value);
        if (!v.startsWith("gen-") || !v.contains("-of-" + slot + "-")) {
            throw new AssertionError(liveKey(slot) + " holds a value of another key: " + v);
        }
        return Integer.parseInt(v.substring(4, v.indexOf("-of-")));
    }

    /** A scan of the live keys: ordered, each at least as new as acknowledged before the scan began. */
    private static void checkScan(StrataDb db, AtomicIntegerArray acked) {
        int[] before = new int[acked.length()];
        for (int i = 0; i < before.length; i++) {
            before[i] = acked.get(i);
        }
        ReadOptions ro = new ReadOptions().lowerBound(b("live-")).upperBound(b("live."));
        String last = null;
        int seen = 0;
        try (StrataIterator it = db.iterator(ro)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                String k = s(it.key());
                if (last != null && k.compareTo(last) <= 0) {
                    throw new AssertionError("scan out of order: " + k + " after " + last);
                }
                last = k;
                int slot = Integer.parseInt(k.substring(5));
                int got = generation(it.value(), slot);
                if (got < before[slot]) {
                    throw new AssertionError("scan: " + k + " at generation " + got + " after generation "
                            + before[slot] + " was acknowledged");
                }
                seen++;
            }
        }
        int written = 0;
        for (int g : before) {
            written += g > 0 ? 1 : 0;
        }
        if (seen < written) {
            throw new AssertionError("scan saw " + seen + " live keys, " + written + " were written before it");
        }
    }

    private static void checkFinal(StrataDb db, AtomicIntegerArray acked, int preloaded) {
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < preloaded; i++) {
            expected.put(String.format("base-%06d", i), "base-value-" + i);
        }
        for (int slot = 0; slot < acked.length(); slot++) {
            if (acked.get(slot) > 0) {
                expected.put(liveKey(slot), liveValue(slot, acked.get(slot)));
            }
        }
        assertThat(contents(db)).isEqualTo(expected);
    }

    // ---- (d) level-0 stalls, by reason ----

    /**
     * The first compaction is held (its first output file cannot be created), so level 0
     * fills: writes are slowed at the slowdown trigger, then stopped at the stop trigger; both
     * are counted by reason in strata.stats. Released, the compaction runs and the writes go on.
     */
    @Test
    void level0StallsAreCountedWithTheirReason() throws Exception {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        BlockingFault held = new BlockingFault(Op.CREATE, named(".sst"));
        fs.setFault((op, p) -> {
            if (onCompactionThread()) {
                held.before(op, p);
            }
        });
        Options options = new Options()
                .fileSystem(fs)
                .writeBufferSize(4096)
                .targetFileSize(16 * 1024)
                .level0FileNumCompactionTrigger(2)
                .level0SlowdownWritesTrigger(3)
                .level0StopWritesTrigger(5);
        int n = 600;
        AtomicInteger written = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        try (StrataDb db = StrataDb.open(dir, options)) {
            Thread writer = new Thread(
                    () -> {
                        try {
                            for (int i = 0; i < n; i++) {
                                db.put(key(i), value(i, 0));
                                written.incrementAndGet();
                            }
                        } catch (Throwable t) {
                            errors.add(t);
                        }
                    },
                    "stalled-writer");
            writer.start();
            await().atMost(PATIENCE).until(() -> stallCount(db, "level0-stop") > 0 || !errors.isEmpty());
            assertThat(errors).isEmpty();
            await().atMost(PATIENCE).until(() -> held.waiting() == 1); // the compaction is held
            assertThat(longProperty(db, "strata.num-files-at-level0")).isGreaterThanOrEqualTo(5);
            assertThat(written.get()).as("writes stopped before the end").isLessThan(n);
            String stats = db.getProperty("strata.stats");
            assertThat(stallCount(db, "level0-slowdown"))
                    .as("slowed writes in:%n%s", stats)
                    .isPositive();
            int stoppedAt = written.get();

            held.release();
            writer.join(PATIENCE.toMillis());
            assertThat(writer.isAlive()).isFalse();
            assertThat(errors).isEmpty();
            assertThat(written.get()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(s(db.get(key(i)))).isEqualTo(s(value(i, 0)));
            }
            long slowed = stallCount(db, "level0-slowdown");
            long stopped = stallCount(db, "level0-stop");
            System.out.printf(
                    "level0StallsAreCountedWithTheirReason: writes stopped after %d of %d; "
                            + "level0-slowdown %d writes, level0-stop %d writes, strata.write-stalls %s%n",
                    stoppedAt, n, slowed, stopped, db.getProperty("strata.write-stalls"));
            assertThat(slowed).isPositive();
            assertThat(stopped).isPositive();
            assertThat(longProperty(db, "strata.write-stalls")).isGreaterThanOrEqualTo(slowed + stopped);
            assertThat(longProperty(db, "strata.compactions")).isPositive();
        }
    }

    private static final Pattern STALL =
            Pattern.compile("(level0-slowdown|level0-stop|memtable-queue-full) (\\d+) writes");

    /** The number of writes that stalled for {@code reason}, as strata.stats reports it. */
    private static long stallCount(StrataDb db, String reason) {
        Matcher m = STALL.matcher(db.getProperty("strata.stats"));
        while (m.find()) {
            if (m.group(1).equals(reason)) {
                return Long.parseLong(m.group(2));
            }
        }
        throw new AssertionError(
                "strata.stats has no stall count for " + reason + ":\n" + db.getProperty("strata.stats"));
    }

    // ---- (e) a failed compaction keeps its inputs and is retried ----

    /**
     * The compaction's output appends fail: the automatic compaction fails again and again
     * (retried with backoff), strata.compaction-error says why, every key stays readable and
     * the inputs stay live. Once appends work again, a retry succeeds and clears the error.
     * Then the same for compactRange with a failing output sync: it throws, leaves exactly the
     * live tables on disk, and a second call succeeds.
     */
    @Test
    void failedCompactionKeepsInputsAndIsRetried() throws Exception {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        AtomicInteger failures = new AtomicInteger();
        fs.setFault((op, p) -> {
            if (op == Op.APPEND
                    && onCompactionThread()
                    && p.getFileName().toString().endsWith(".sst")) {
                failures.incrementAndGet();
                throw new IOException("injected failure of a compaction output append");
            }
        });
        Map<String, String> expected = new LinkedHashMap<>();
        // Level 0 grows while compactions fail: keep it below the stall triggers.
        Options options =
                busy().fileSystem(fs).level0SlowdownWritesTrigger(1000).level0StopWritesTrigger(1000);
        try (StrataDb db = StrataDb.open(dir, options)) {
            for (int i = 0; i < 1500; i++) {
                put(db, expected, s(key(i)), s(value(i, 0)));
            }
            db.flush();
            await().atMost(PATIENCE).until(() -> failures.get() >= 3);
            assertThat(db.getProperty(COMPACTION_ERROR)).contains("injected failure");
            assertThat(db.getProperty("strata.stats")).containsPattern("compaction error: .*injected failure");
            assertThat(longProperty(db, "strata.num-files-at-level0")).isGreaterThanOrEqualTo(2);
            assertThat(new TreeMap<>(contents(db))).isEqualTo(new TreeMap<>(expected));
            for (int i = 0; i < 1500; i += 7) {
                assertThat(s(db.get(key(i)))).isEqualTo(expected.get(s(key(i))));
            }

            fs.clearFault();
            await().atMost(PATIENCE)
                    .until(() -> db.getProperty(COMPACTION_ERROR).isEmpty()
                            && longProperty(db, "strata.num-files-at-level0") < 2);
            assertThat(longProperty(db, "strata.compactions")).isPositive();
            assertThat(new TreeMap<>(contents(db))).isEqualTo(new TreeMap<>(expected));
            System.out.printf(
                    "failedCompactionKeepsInputsAndIsRetried: %d failed output appends before the "
                            + "retry succeeded%n",
                    failures.get());
        }

        Path manual = dir.resolve("manual");
        FaultInjectionFileSystem fs2 = new FaultInjectionFileSystem();
        expected.clear();
        try (StrataDb db = StrataDb.open(manual, manualOnly(busy()).fileSystem(fs2))) {
            for (int i = 0; i < 1500; i++) {
                put(db, expected, s(key(i)), s(value(i, 1)));
            }
            db.flush();
            List<Long> before = tables(manual);
            assertThat(before).hasSize(liveTableCount(db)).hasSizeGreaterThan(1);
            fs2.setFault((op, p) -> {
                if (op == Op.SYNC
                        && onCompactionThread()
                        && p.getFileName().toString().endsWith(".sst")) {
                    throw new IOException("injected failure of a compaction output sync");
                }
            });
            assertThatThrownBy(() -> db.compactRange(null, null))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("injected failure");
            assertThat(db.getProperty(COMPACTION_ERROR)).contains("injected failure");
            assertThat(tables(manual)).as("the inputs, and no partial output").isEqualTo(before);
            assertThat(liveTableCount(db)).isEqualTo(before.size());
            assertThat(new TreeMap<>(contents(db))).isEqualTo(new TreeMap<>(expected));

            fs2.clearFault();
            db.compactRange(null, null);
            assertThat(db.getProperty(COMPACTION_ERROR)).isEmpty();
            assertThat(longProperty(db, "strata.num-files-at-level0")).isZero();
            assertThat(new TreeMap<>(contents(db))).isEqualTo(new TreeMap<>(expected));
            await().atMost(PATIENCE).until(() -> tables(manual).size() == liveTableCount(db));
        }
        try (StrataDb db = StrataDb.open(manual, manualOnly(busy()))) {
            assertThat(new TreeMap<>(contents(db))).isEqualTo(new TreeMap<>(expected));
        }
    }

    // ---- (f) space after a full compaction ----

    /**
     * Random 16-byte keys with 100-byte values, a quarter of them overwritten and some
     * deleted, then a full compaction: the live tables take at most 1.3 times the raw bytes
     * of the live keys and values (docs/DESIGN.md's bound, for the uncompressed setting).
     */
    @Test
    void spaceAfterFullCompactionIsBoundedByRawSize() throws Exception {
        long seed = 0x5BACEL;
        int n = 20_000;
        Random rnd = new Random(seed);
        NavigableMap<byte[], byte[]> live = new TreeMap<>(Arrays::compareUnsigned);
        // DESIGN.md's bound is for the uncompressed setting (random values do not compress anyway).
        Options options = new Options()
                .compression(Compression.NONE)
                .writeBufferSize(256 * 1024)
                .targetFileSize(256 * 1024)
                .maxBytesForLevelBase(1024 * 1024)
                .maxBytesForLevelMultiplier(4);
        try (StrataDb db = StrataDb.open(dir, options)) {
            List<byte[]> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] k = new byte[16];
                rnd.nextBytes(k);
                byte[] v = new byte[100];
                rnd.nextBytes(v);
                db.put(k, v);
                live.put(k, v);
                all.add(k);
            }
            for (int i = 0; i < n / 4; i++) {
                byte[] k = all.get(rnd.nextInt(n));
                byte[] v = new byte[100];
                rnd.nextBytes(v);
                db.put(k, v);
                live.put(k, v);
            }
            for (int i = 0; i < n / 20; i++) {
                byte[] k = all.get(rnd.nextInt(n));
                db.delete(k);
                live.remove(k);
            }
            db.compactRange(null, null);
            long raw = 0;
            for (Map.Entry<byte[], byte[]> e : live.entrySet()) {
                raw += e.getKey().length + e.getValue().length;
            }
            // A compaction the last one triggered may still be writing a table, or deleting the
            // ones it replaced: the files on disk match the live ones once it is done.
            await().atMost(PATIENCE)
                    .until(() -> tables(dir).size() == liveTableCount(db)
                            && bytesOnDisk(dir) == longProperty(db, LIVE_BYTES));
            long liveBytes = longProperty(db, LIVE_BYTES);
            long onDisk = bytesOnDisk(dir);
            double ratio = (double) liveBytes / raw;
            System.out.printf(
                    "spaceAfterFullCompactionIsBoundedByRawSize seed=%d: %d live keys, raw %d bytes, "
                            + "live tables %d bytes (%d on disk) in %d files: ratio %.3f%n",
                    seed, live.size(), raw, liveBytes, onDisk, liveTableCount(db), ratio);
            assertThat(onDisk).isEqualTo(liveBytes);
            assertThat(ratio).as("live table bytes / raw key+value bytes").isLessThanOrEqualTo(1.3);
            int checked = 0;
            for (Map.Entry<byte[], byte[]> e : live.entrySet()) {
                if (checked++ % 50 == 0) {
                    assertThat(db.get(e.getKey())).isEqualTo(e.getValue());
                }
            }
        }
    }

    // ---- (g) read cost of a point lookup ----

    /**
     * After loading data in random order with small levels (files in several levels, key
     * ranges overlapping across levels), each point lookup of an existing or absent key
     * reads at most one data block per level that holds files (counting each level-0 file
     * as a level): the index and the bloom filter of an open table are in memory, and the
     * filter lets a lookup skip tables that lack the key. The table readers are opened (and
     * so their index and filter read) by a scan before counting; nothing else runs meanwhile.
     * The block cache is off, so every data block a lookup needs is a read from the file.
     */
    @Test
    void pointLookupReadsAtMostOneDataBlockPerLevel() throws Exception {
        long seed = 0x100CL;
        int n = 8000;
        Random rnd = new Random(seed);
        List<byte[]> present = new ArrayList<>();
        Options load = new Options()
                .writeBufferSize(32 * 1024)
                .targetFileSize(32 * 1024)
                .maxBytesForLevelBase(64 * 1024)
                .maxBytesForLevelMultiplier(2)
                .level0FileNumCompactionTrigger(2);
        try (StrataDb db = StrataDb.open(dir, load)) {
            for (int i = 0; i < n; i++) {
                byte[] k = b(String.format("k%08x", rnd.nextInt()));
                db.put(k, value(i, 0));
                present.add(k);
            }
            db.flush();
            // Let the compactions settle, so level 0 is as a steady state leaves it.
            await().atMost(PATIENCE)
                    .until(() -> longProperty(db, "strata.num-files-at-level0") < 2
                            && db.getProperty("strata.stats").contains("compactions running: 0"));
        }
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        try (StrataDb db =
                StrataDb.open(dir, manualOnly(new Options()).blockCacheSize(0).fileSystem(fs))) {
            int[] files = new int[Version.NUM_LEVELS];
            int levelsWithFiles = 0;
            for (int level = 0; level < Version.NUM_LEVELS; level++) {
                files[level] = Integer.parseInt(db.getProperty("strata.num-files-at-level" + level));
                levelsWithFiles += level == 0 ? files[level] : Math.min(1, files[level]);
            }
            assertThat(levelsWithFiles)
                    .as("levels with files %s", Arrays.toString(files))
                    .isGreaterThanOrEqualTo(3);
            count(db, new ReadOptions()); // opens every table: footer, index and filter are read here
            int lookups = 2000;
            int[] presentReads = measureGets(db, fs, present, rnd, lookups, true);
            int[] absentReads = measureGets(db, fs, present, rnd, lookups, false);
            System.out.printf(
                    "pointLookupReadsAtMostOneDataBlockPerLevel seed=%d: files per level %s (%d levels "
                            + "counting each level-0 file); existing keys: %.3f block reads per get, at most %d; "
                            + "absent keys: %.3f per get, at most %d%n",
                    seed,
                    Arrays.toString(files),
                    levelsWithFiles,
                    (double) presentReads[0] / lookups,
                    presentReads[1],
                    (double) absentReads[0] / lookups,
                    absentReads[1]);
            assertThat(presentReads[1])
                    .as("most block reads by one get of an existing key")
                    .isLessThanOrEqualTo(levelsWithFiles);
            assertThat(absentReads[1])
                    .as("most block reads by one get of an absent key")
                    .isLessThanOrEqualTo(levelsWithFiles);
            // One block for the key, plus the rare bloom-filter false positive elsewhere.
            assertThat((double) presentReads[0] / lookups).isBetween(1.0, 1.1);
            assertThat((double) absentReads[0] / lookups).isLessThan(0.1);
        }
    }

    /** Gets {@code lookups} keys (present or absent); returns {total reads, most reads by one get}. */
    private static int[] measureGets(
            StrataDb db, FaultInjectionFileSystem fs, List<byte[]> present, Random rnd, int lookups, boolean existing) {
        int total = 0;
        int max = 0;
        for (int i = 0; i < lookups; i++) {
            byte[] k = existing
                    ? present.get(rnd.nextInt(present.size()))
                    : b(String.format("k%08x-absent", rnd.nextInt()));
            int before = fs.count(Op.READ);
            byte[] v = db.get(k);
            int reads = fs.count(Op.READ) - before;
            if (existing != (v != null)) {
                throw new AssertionError("get " + s(k) + " returned " + (v == null ? "nothing" : "a value"));
            }
            total += reads;
            max = Math.max(max, reads);
        }
        return new int[] {total, max};
    }

    /** The bytes of the table files in {@code dir}; a file deleted while summing counts 0. */
    private static long bytesOnDisk(Path dir) throws IOException {
        long sum = 0;
        for (long t : tables(dir)) {
            try {
                sum += Files.size(dir.resolve(FileNames.table(t)));
            } catch (java.nio.file.NoSuchFileException e) {
                // replaced meanwhile
            }
        }
        return sum;
    }
}
