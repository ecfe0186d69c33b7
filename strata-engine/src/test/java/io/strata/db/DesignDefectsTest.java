package io.strata.db;

import static io.strata.db.StoreFiles.abandon;
import static io.strata.db.StoreFiles.b;
import static io.strata.db.StoreFiles.contents;
import static io.strata.db.StoreFiles.longProperty;
import static io.strata.db.StoreFiles.s;
import static io.strata.db.StoreFiles.tableEntries;
import static io.strata.db.StoreFiles.tables;
import static io.strata.db.StoreFiles.wals;
import static io.strata.fs.FaultInjectionFileSystem.failAlways;
import static io.strata.fs.FaultInjectionFileSystem.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.strata.CorruptionException;
import io.strata.Options;
import io.strata.ReadOptions;
import io.strata.Snapshot;
import io.strata.StrataDb;
import io.strata.StrataException;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import io.strata.WriteOptions;
import io.strata.fs.FaultInjectionFileSystem;
import io.strata.fs.FaultInjectionFileSystem.Op;
import io.strata.key.ValueType;
import io.strata.util.FileNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The six defects of the design Strata started from, as docs/DESIGN.md lists them ("The six
 * defects Strata must not repeat"): section "Defect n" below holds the tests of defect n there.
 * Each test sets up the situation in which that design lost or corrupted data and checks that
 * Strata does not.
 */
class DesignDefectsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String IMMUTABLES = "strata.num-immutable-memtables";
    private static final String L0_FILES = "strata.num-files-at-level0";
    private static final String FLUSHES = "strata.flushes";
    private static final String BACKGROUND_ERROR = "strata.background-error";

    @TempDir
    Path dir;

    private static Options options(FaultInjectionFileSystem fs) {
        return new Options()
                .fileSystem(fs)
                .writeBufferSize(16 * 1024)
                .backgroundRetryDelay(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    private static void put(StrataDb db, Map<String, String> acked, String key, String value, WriteOptions wo) {
        db.put(b(key), b(value), wo);
        acked.put(key, value);
    }

    private static String value(String key) {
        return "value-of-" + key + "-" + "x".repeat(40);
    }

    /** Every acknowledged key reads back, and the iterator shows exactly the acknowledged set. */
    private static void assertHolds(StrataDb db, Map<String, String> acked) {
        for (Map.Entry<String, String> e : acked.entrySet()) {
            assertThat(s(db.get(b(e.getKey())))).as("get(%s)", e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(contents(db)).isEqualTo(new TreeMap<>(acked));
    }

    // ---- Defect 1, the WAL cleared too much: the new active memtable's WAL survives the old one's flush ----

    @Test
    void writesAfterMemtableSwapSurviveCrashBeforeFlushCompletes() throws Exception {
        crashWhileFlushHangs(dir.resolve("power-loss"), true, new BlockingFault(Op.APPEND, named(".sst")));
        crashWhileFlushHangs(dir.resolve("process-crash"), false, new BlockingFault(Op.APPEND, named(".sst")));
        // The table is written and synced; the crash comes while its MANIFEST edit is being synced.
        crashWhileFlushHangs(
                dir.resolve("manifest-sync"),
                true,
                new BlockingFault(Op.SYNC, p -> p.getFileName().toString().startsWith("MANIFEST")));
        crashAfterFirstFlushInstalled(dir.resolve("after-install"));
    }

    /**
     * The SSTable write of the first immutable memtable hangs; writes go on into the new active
     * memtable and its new WAL segment; the machine (or the process) crashes before the flush
     * completes. Every acknowledged write, on either side of the swap, must come back.
     */
    private void crashWhileFlushHangs(Path path, boolean powerLoss, BlockingFault slowFlush) throws Exception {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        StrataDb db = StrataDb.open(path, options(fs));
        fs.setFault(slowFlush);
        WriteOptions wo = new WriteOptions().sync(powerLoss);
        Map<String, String> acked = new LinkedHashMap<>();
        int i = 0;
        while (db.getProperty(IMMUTABLES).equals("0")) {
            String key = String.format("before-%05d", i++);
            put(db, acked, key, value(key), wo);
        }
        await().atMost(PATIENCE).until(() -> slowFlush.waiting() == 1);
        assertThat(wals(path))
                .as("one segment for the immutable memtable, one for the active one")
                .hasSize(2);
        for (int j = 0; j < 20; j++) {
            String key = String.format("after-%05d", j);
            put(db, acked, key, value(key), wo);
        }
        db.delete(b("before-00000"), wo);
        acked.remove("before-00000");
        // The flush is still stuck and the writes above went to the new active memtable.
        assertThat(slowFlush.waiting()).isEqualTo(1);
        assertThat(db.getProperty(IMMUTABLES)).isEqualTo("1");
        assertThat(db.getProperty(L0_FILES)).isEqualTo("0");
        assertHolds(db, acked);

        fs.crash(powerLoss);
        slowFlush.failOnRelease();
        slowFlush.release();
        abandon(db);

        try (StrataDb reopened = StrataDb.open(path, options(new FaultInjectionFileSystem()))) {
            assertHolds(reopened, acked);
        }
    }

    /**
     * The defect as it was: the first flush completes (and may delete its own segment), then
     * the machine crashes. The writes made after the swap are only in the newer segment, which
     * must still be there.
     */
    private void crashAfterFirstFlushInstalled(Path path) throws Exception {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        BlockingFault slowTable = new BlockingFault(Op.APPEND, named(".sst"));
        fs.setFault(slowTable);
        WriteOptions sync = new WriteOptions().sync(true);
        Map<String, String> acked = new LinkedHashMap<>();
        StrataDb db = StrataDb.open(path, options(fs));
        int i = 0;
        while (db.getProperty(IMMUTABLES).equals("0")) {
            String key = String.format("before-%05d", i++);
            put(db, acked, key, value(key), sync);
        }
        List<Long> segments = wals(path);
        for (int j = 0; j < 20; j++) {
            String key = String.format("after-%05d", j);
            put(db, acked, key, value(key), sync);
        }
        slowTable.release();
        await().atMost(PATIENCE)
                .until(() -> db.getProperty(L0_FILES).equals("1")
                        && db.getProperty(IMMUTABLES).equals("0")
                        && wals(path).size() == 1);
        assertThat(wals(path)).containsExactly(segments.get(1));
        fs.crash(true);
        abandon(db);

        try (StrataDb reopened = StrataDb.open(path, options(new FaultInjectionFileSystem()))) {
            assertHolds(reopened, acked);
        }
    }

    /**
     * A crash tears the last WAL record; the next open fails part-way (here: the new MANIFEST
     * cannot be created, as on a full disk). The open after that must still treat the torn
     * record as the harmless tail of the newest segment and recover every acknowledged write.
     */
    @Test
    void tornWalTailStaysHarmlessAfterAFailedReopen() throws Exception {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        Map<String, String> acked = new LinkedHashMap<>();
        StrataDb db = StrataDb.open(dir, options(fs));
        put(db, acked, "a", "1", new WriteOptions().sync(true));
        put(db, acked, "b", "2", new WriteOptions().sync(true));
        fs.crash(true);
        abandon(db);
        List<Long> segments = wals(dir);
        assertThat(segments).hasSize(1);
        // The crash came in the middle of appending a third record: 3 bytes of its header made it.
        Files.write(dir.resolve(FileNames.wal(segments.get(0))), new byte[] {7, 7, 7}, StandardOpenOption.APPEND);

        FaultInjectionFileSystem full = new FaultInjectionFileSystem();
        full.setFault(failAlways(Op.CREATE, p -> p.getFileName().toString().startsWith("MANIFEST")));
        assertThatThrownBy(() -> StrataDb.open(dir, options(full)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("injected failure");

        try (StrataDb reopened = StrataDb.open(dir, options(new FaultInjectionFileSystem()))) {
            assertHolds(reopened, acked);
        }
    }

    /**
     * A swap or an open that failed after creating a new segment leaves it empty: the torn
     * record before it is still the last write, so it is dropped; a non-empty newer segment
     * makes the same bytes corruption.
     */
    @Test
    void tornTailFollowedOnlyByEmptySegmentsIsDropped(@TempDir Path copy) throws Exception {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        Map<String, String> acked = new LinkedHashMap<>();
        StrataDb db = StrataDb.open(dir, options(fs));
        put(db, acked, "a", "1", new WriteOptions().sync(true));
        fs.crash(true);
        abandon(db);
        long torn = wals(dir).get(0);
        Files.write(dir.resolve(FileNames.wal(torn)), new byte[] {7, 7, 7}, StandardOpenOption.APPEND);
        Path empty = dir.resolve(FileNames.wal(torn + 5));
        Files.createFile(empty);

        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        Files.write(copy.resolve(empty.getFileName()), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThatThrownBy(() -> StrataDb.open(copy))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(FileNames.wal(torn));

        try (StrataDb reopened = StrataDb.open(dir, options(new FaultInjectionFileSystem()))) {
            assertHolds(reopened, acked);
        }
    }

    // ---- Defect 2, deletes were not logged: a delete is logged, and its tombstone shadows older SSTables ----

    @Test
    void deleteSurvivesRestartAndShadowsOlderSstableValue() throws Exception {
        Map<String, String> acked = new LinkedHashMap<>();
        acked.put("other", "o");

        // Closed cleanly while the tombstone is only in the memtable and the WAL.
        Path closed = dir.resolve("closed");
        try (StrataDb db = StrataDb.open(closed)) {
            db.put(b("k"), b("v"));
            db.put(b("other"), b("o"));
            db.flush();
            assertThat(db.getProperty(L0_FILES)).isEqualTo("1");
            db.delete(b("k"));
            assertThat(db.get(b("k"))).isNull();
            assertHolds(db, acked);
        }
        try (StrataDb db = StrataDb.open(closed)) {
            assertThat(db.get(b("k"))).isNull();
            assertHolds(db, acked);
            // Recovery wrote the replayed tombstone to a newer table; the older one keeps the value.
            assertThat(db.getProperty(L0_FILES)).isEqualTo("2");
            assertTombstoneShadowsValue(closed, "k", "v");
        }
        try (StrataDb db = StrataDb.open(closed)) {
            assertThat(db.get(b("k"))).isNull();
            assertHolds(db, acked);
        }

        // The tombstone flushed to a newer SSTable before the restart.
        Path flushed = dir.resolve("flushed");
        try (StrataDb db = StrataDb.open(flushed)) {
            db.put(b("k"), b("v"));
            db.put(b("other"), b("o"));
            db.flush();
            db.delete(b("k"));
            db.flush();
            assertThat(db.getProperty(L0_FILES)).isEqualTo("2");
            assertThat(db.getProperty(IMMUTABLES)).isEqualTo("0");
            assertThat(db.get(b("k"))).isNull();
            assertHolds(db, acked);
            assertTombstoneShadowsValue(flushed, "k", "v");
        }
        try (StrataDb db = StrataDb.open(flushed)) {
            assertThat(db.get(b("k"))).isNull();
            assertHolds(db, acked);
            try (StrataIterator it = db.iterator()) {
                it.seek(b("k"));
                assertThat(s(it.key())).isEqualTo("other");
            }
        }

        // A crash without a flush: power loss after synced writes, process crash after unsynced ones.
        for (boolean powerLoss : new boolean[] {true, false}) {
            Path crashed = dir.resolve("crash-" + (powerLoss ? "power" : "process"));
            FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
            WriteOptions wo = new WriteOptions().sync(powerLoss);
            StrataDb db = StrataDb.open(crashed, options(fs));
            db.put(b("k"), b("v"), wo);
            db.put(b("other"), b("o"), wo);
            db.flush();
            db.delete(b("k"), wo);
            assertThat(db.get(b("k"))).isNull();
            fs.crash(powerLoss);
            abandon(db);
            try (StrataDb reopened = StrataDb.open(crashed, options(new FaultInjectionFileSystem()))) {
                assertThat(reopened.get(b("k")))
                        .as("deleted key after a crash (power loss: %s)", powerLoss)
                        .isNull();
                assertHolds(reopened, acked);
            }
        }
    }

    /** The newest table holding {@code key} holds a tombstone for it, and an older one the value. */
    private static void assertTombstoneShadowsValue(Path path, String key, String value) {
        List<Long> numbers = tables(path);
        List<StoreFiles.Entry> newest = null;
        List<StoreFiles.Entry> older = new ArrayList<>();
        for (int i = numbers.size() - 1; i >= 0; i--) {
            List<StoreFiles.Entry> entries = tableEntries(path, numbers.get(i)).stream()
                    .filter(e -> e.key().equals(key))
                    .toList();
            if (newest == null && !entries.isEmpty()) {
                newest = entries;
            } else {
                older.addAll(entries);
            }
        }
        assertThat(newest).as("a table holds %s", key).isNotNull();
        StoreFiles.Entry tombstone = newest.get(0);
        assertThat(tombstone.type()).as("newest entry of %s", key).isEqualTo(ValueType.DELETION);
        assertThat(older).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(ValueType.VALUE);
            assertThat(e.value()).isEqualTo(value);
            assertThat(e.sequence()).isLessThan(tombstone.sequence());
        });
    }

    // ---- Defect 3, a table iterated while written: iterators see one snapshot while writes go on ----

    @Test
    void iteratorSeesConsistentSnapshotDuringConcurrentWrites() throws Exception {
        int keys = 32;
        Options opts = new Options().writeBufferSize(64 * 1024);
        try (StrataDb db = StrataDb.open(dir, opts)) {
            db.write(generation(keys, 0));
            AtomicLong nextGeneration = new AtomicLong(1);
            AtomicLong committed = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> writerError = new AtomicReference<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Thread t = new Thread(
                        () -> {
                            try {
                                while (!stop.get()) {
                                    db.write(generation(keys, nextGeneration.getAndIncrement()));
                                    committed.incrementAndGet();
                                    // Paced, so that flushes happen often but tables do not pile up too fast.
                                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                                }
                            } catch (Throwable e) {
                                writerError.compareAndSet(null, e);
                            }
                        },
                        "batch-writer-" + w);
                t.start();
                writers.add(t);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int iterations = 0;
            long firstTables = longProperty(db, FLUSHES);
            try {
                while (writerError.get() == null && System.nanoTime() < deadline && longProperty(db, FLUSHES) < 300) {
                    iterations++;
                    // Every few rounds, hold the iterator open across a flush, so that the
                    // memtables it reads are swapped out and replaced by a table meanwhile.
                    boolean acrossFlush = iterations % 5 == 0;
                    checkOneIterator(db, keys, committed, acrossFlush);
                    checkOneSnapshot(db, keys);
                }
            } finally {
                stop.set(true);
                for (Thread t : writers) {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                }
            }
            assertThat(writerError.get()).isNull();
            assertThat(iterations).as("iterators checked").isGreaterThanOrEqualTo(20);
            assertThat(longProperty(db, FLUSHES) - firstTables)
                    .as("flushes during the test")
                    .isGreaterThan(5);
            System.out.printf(
                    "iteratorSeesConsistentSnapshotDuringConcurrentWrites: %d iterators, %d batches, %d tables%n",
                    iterations, committed.get(), longProperty(db, FLUSHES));
        }
    }

    private static WriteBatch generation(int keys, long gen) {
        WriteBatch batch = new WriteBatch();
        for (int k = 0; k < keys; k++) {
            batch.put(b(String.format("key-%03d", k)), b(String.format("%012d-%s", gen, "g".repeat(20))));
        }
        return batch;
    }

    private static long generationOf(byte[] value) {
        return Long.parseLong(s(value).substring(0, 12));
    }

    private static void checkOneIterator(StrataDb db, int keys, AtomicLong committed, boolean acrossFlush) {
        List<String> seen = new ArrayList<>();
        List<Long> generations = new ArrayList<>();
        try (StrataIterator it = db.iterator()) {
            it.seekToFirst();
            for (int k = 0; k < keys / 2 && it.valid(); k++, it.next()) {
                seen.add(s(it.key()));
                generations.add(generationOf(it.value()));
            }
            // Let the writers commit more batches (and, sometimes, a flush install) mid-iteration.
            long target = committed.get() + 3;
            long tables = Long.parseLong(db.getProperty(FLUSHES));
            await().atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> committed.get() >= target
                            && (!acrossFlush || Long.parseLong(db.getProperty(FLUSHES)) > tables));
            for (; it.valid(); it.next()) {
                seen.add(s(it.key()));
                generations.add(generationOf(it.value()));
            }
            assertThat(seen)
                    .as("keys seen by one iterator")
                    .hasSize(keys)
                    .doesNotHaveDuplicates()
                    .isSorted();
            assertThat(generations.stream().distinct().toList())
                    .as("generations seen by one iterator")
                    .hasSize(1);
            // Starting over on the same iterator shows the same view.
            List<Long> again = new ArrayList<>();
            for (it.seekToFirst(); it.valid(); it.next()) {
                again.add(generationOf(it.value()));
            }
            assertThat(again).as("the same iterator read again").isEqualTo(generations);
        }
    }

    private static void checkOneSnapshot(StrataDb db, int keys) {
        try (Snapshot snap = db.snapshot()) {
            ReadOptions at = new ReadOptions().snapshot(snap);
            long first = generationOf(db.get(b("key-000"), at));
            for (int k = 1; k < keys; k++) {
                assertThat(generationOf(db.get(b(String.format("key-%03d", k)), at)))
                        .as("generation of key %d at one snapshot", k)
                        .isEqualTo(first);
            }
            try (StrataIterator it = db.iterator(at)) {
                for (it.seekToFirst(); it.valid(); it.next()) {
                    assertThat(generationOf(it.value())).isEqualTo(first);
                }
            }
        }
    }

    // ---- Defect 4, a failed flush lost data: the data stays readable and the retry installs it ----

    @Test
    void failedSstableWriteLosesNothingAndRetryInstallsTable() throws Exception {
        flushFailsThenRecovers(dir.resolve("append"), failAlways(Op.APPEND, named(".sst")));
        flushFailsThenRecovers(dir.resolve("sync"), failAlways(Op.SYNC, named(".sst")));
        flushFailsThenRecovers(
                dir.resolve("manifest"),
                failAlways(Op.SYNC, p -> p.getFileName().toString().startsWith("MANIFEST")));
    }

    private static final Pattern FAILED_ATTEMPTS = Pattern.compile("failed attempts: (\\d+)");

    private static long failedFlushes(StrataDb db) {
        Matcher m = FAILED_ATTEMPTS.matcher(db.getProperty("strata.stats"));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private void flushFailsThenRecovers(Path path, FaultInjectionFileSystem.Fault fault) {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        Map<String, String> acked = new LinkedHashMap<>();
        try (StrataDb db = StrataDb.open(path, options(fs).writeBufferSize(1024 * 1024))) {
            for (int i = 0; i < 100; i++) {
                String key = String.format("first-%03d", i);
                put(db, acked, key, value(key), new WriteOptions());
            }
            List<Long> segmentsBefore = wals(path);
            assertThat(segmentsBefore).hasSize(1);
            fs.setFault(fault);
            assertThatThrownBy(db::flush).isInstanceOf(StrataException.class).hasMessageContaining("injected failure");
            assertThat(db.getProperty(BACKGROUND_ERROR)).contains("injected failure");
            assertThat(db.getProperty(IMMUTABLES)).isEqualTo("1");
            assertThat(db.getProperty(L0_FILES)).isEqualTo("0");
            assertThat(wals(path)).as("the failed memtable's segment is kept").contains(segmentsBefore.get(0));
            assertHolds(db, acked);

            // Writes go on into the new active memtable, and the flush keeps being retried.
            for (int i = 0; i < 10; i++) {
                String key = String.format("second-%03d", i);
                put(db, acked, key, value(key), new WriteOptions());
            }
            long failures = failedFlushes(db);
            await().atMost(PATIENCE).until(() -> failedFlushes(db) >= failures + 2);
            assertThat(db.getProperty(L0_FILES)).isEqualTo("0");
            assertHolds(db, acked);

            fs.clearFault();
            await().atMost(PATIENCE)
                    .until(() -> db.getProperty(L0_FILES).equals("1")
                            && db.getProperty(IMMUTABLES).equals("0")
                            && !wals(path).contains(segmentsBefore.get(0)));
            assertThat(db.getProperty(BACKGROUND_ERROR)).isEmpty();
            assertThat(wals(path)).hasSize(1);
            List<Long> live = tables(path);
            long installed = live.get(live.size() - 1);
            assertThat(tableEntries(path, installed))
                    .extracting(StoreFiles.Entry::key)
                    .containsExactlyElementsOf(acked.keySet().stream()
                            .filter(k -> k.startsWith("first-"))
                            .toList());
            assertHolds(db, acked);

            db.flush();
            assertThat(db.getProperty(L0_FILES)).isEqualTo("2");
            assertHolds(db, acked);
        }
        try (StrataDb db = StrataDb.open(path, options(new FaultInjectionFileSystem()))) {
            assertThat(db.getProperty(L0_FILES)).isEqualTo("2");
            assertThat(tables(path))
                    .as("partial tables of failed attempts are gone")
                    .hasSize(2);
            assertHolds(db, acked);
        }
    }

    // ---- Defect 5, one immutable slot: a queue of immutable memtables, installed in order ----

    @Test
    void twoFlushesInARowWithSlowFirstInstallInOrder() throws Exception {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        BlockingFault slowFirst = new BlockingFault(Op.CREATE, named(".sst"), 1);
        fs.setFault(slowFirst);
        Map<String, String> acked = new LinkedHashMap<>();
        WriteOptions wo = new WriteOptions();
        try (StrataDb db = StrataDb.open(dir, options(fs).maxImmutableMemtables(2))) {
            put(db, acked, "shared", "v1", wo);
            for (int i = 0; db.getProperty(IMMUTABLES).equals("0"); i++) {
                String key = String.format("a-%05d", i);
                put(db, acked, key, value(key), wo);
            }
            await().atMost(PATIENCE).until(() -> slowFirst.waiting() == 1);
            put(db, acked, "shared", "v2", wo);
            for (int i = 0; db.getProperty(IMMUTABLES).equals("1"); i++) {
                String key = String.format("b-%05d", i);
                put(db, acked, key, value(key), wo);
            }
            for (int i = 0; i < 5; i++) {
                String key = String.format("c-%05d", i);
                put(db, acked, key, value(key), wo);
            }
            // Two memtables wait for the stuck first flush; all of it is readable.
            assertThat(slowFirst.waiting()).isEqualTo(1);
            assertThat(db.getProperty(IMMUTABLES)).isEqualTo("2");
            assertThat(db.getProperty(L0_FILES)).isEqualTo("0");
            assertThat(wals(dir)).hasSize(3);
            assertHolds(db, acked);

            slowFirst.release();
            await().atMost(PATIENCE)
                    .until(() -> db.getProperty(IMMUTABLES).equals("0")
                            && db.getProperty(L0_FILES).equals("2")
                            && wals(dir).size() == 1);
            assertThat(s(db.get(b("shared")))).isEqualTo("v2");
            assertHolds(db, acked);

            List<Long> numbers = tables(dir);
            assertThat(numbers).hasSize(2);
            List<StoreFiles.Entry> older = tableEntries(dir, numbers.get(0));
            List<StoreFiles.Entry> newer = tableEntries(dir, numbers.get(1));
            assertThat(older)
                    .filteredOn(e -> e.key().equals("shared"))
                    .extracting(StoreFiles.Entry::value)
                    .containsExactly("v1");
            assertThat(newer)
                    .filteredOn(e -> e.key().equals("shared"))
                    .extracting(StoreFiles.Entry::value)
                    .containsExactly("v2");
            long olderMax =
                    older.stream().mapToLong(StoreFiles.Entry::sequence).max().orElseThrow();
            long newerMin =
                    newer.stream().mapToLong(StoreFiles.Entry::sequence).min().orElseThrow();
            assertThat(olderMax)
                    .as("every sequence of the older table is below the newer table's")
                    .isLessThan(newerMin);
            assertThat(older)
                    .extracting(StoreFiles.Entry::key)
                    .noneMatch(k -> k.startsWith("b-") || k.startsWith("c-"));
            assertThat(newer).extracting(StoreFiles.Entry::key).noneMatch(k -> k.startsWith("c-"));
        }
        try (StrataDb db = StrataDb.open(dir, options(new FaultInjectionFileSystem()))) {
            assertThat(s(db.get(b("shared")))).isEqualTo("v2");
            assertHolds(db, acked);
        }
    }

    // ---- Defect 6, errors dropped in the apply loop: an engine error reaches the caller ----

    @Test
    void engineErrorReachesCaller() throws Exception {
        walSyncFailureStopsWrites(dir.resolve("wal-sync"));
        walAppendFailureFailsEachWriteAndLosesNothing(dir.resolve("wal-append"));
        walAppendThatCannotBeUndoneStopsWrites(dir.resolve("wal-broken"));
        newWalSegmentFailureFailsTheWriteThatNeedsIt(dir.resolve("wal-create"));
        persistentFlushFailureFailsWritersFast(dir.resolve("flush"));
    }

    private void walSyncFailureStopsWrites(Path path) {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        Map<String, String> acked = new LinkedHashMap<>();
        WriteOptions sync = new WriteOptions().sync(true);
        try (StrataDb db = StrataDb.open(path, options(fs))) {
            put(db, acked, "a", "1", sync);
            put(db, acked, "b", "2", new WriteOptions());
            fs.setFault(failAlways(Op.SYNC, named(".wal")));
            assertThatThrownBy(() -> db.put(b("c"), b("3"), sync))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("injected failure");
            assertThat(db.getProperty(BACKGROUND_ERROR)).contains("injected failure");
            fs.clearFault();
            // The log's state is unknown: every later write fails, naming the cause, until reopen.
            assertThatThrownBy(() -> db.put(b("d"), b("4")))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("reopen")
                    .hasMessageContaining("injected failure");
            assertThatThrownBy(() -> db.delete(b("a"))).isInstanceOf(StrataException.class);
            assertThatThrownBy(() -> db.write(new WriteBatch().put(b("e"), b("5"))))
                    .isInstanceOf(StrataException.class);
            assertThatThrownBy(db::flush).isInstanceOf(StrataException.class);
            // Reads go on.
            assertThat(s(db.get(b("a")))).isEqualTo("1");
            assertThat(db.get(b("d"))).isNull();
        }
        try (StrataDb db = StrataDb.open(path, options(new FaultInjectionFileSystem()))) {
            for (Map.Entry<String, String> e : acked.entrySet()) {
                assertThat(s(db.get(b(e.getKey())))).isEqualTo(e.getValue());
            }
            // "c" may or may not have reached the log before its fsync failed; the rest never did.
            assertThat(db.get(b("d"))).isNull();
            assertThat(db.get(b("e"))).isNull();
            db.put(b("f"), b("6"));
            assertThat(s(db.get(b("f")))).isEqualTo("6");
        }
    }

    private void walAppendFailureFailsEachWriteAndLosesNothing(Path path) {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        Map<String, String> acked = new LinkedHashMap<>();
        try (StrataDb db = StrataDb.open(path, options(fs))) {
            put(db, acked, "a", "1", new WriteOptions());
            fs.setFault(failAlways(Op.APPEND, named(".wal")));
            for (int i = 0; i < 3; i++) {
                String key = "failed-" + i;
                assertThatThrownBy(() -> db.put(b(key), b("x")))
                        .isInstanceOf(StrataException.class)
                        .hasMessageContaining("injected failure");
                assertThat(db.get(b(key))).isNull();
            }
            assertThatThrownBy(() -> db.delete(b("a"))).isInstanceOf(StrataException.class);
            assertThat(s(db.get(b("a")))).isEqualTo("1");
            // The failed records were cut out of the log, so it is whole and writes may resume.
            fs.clearFault();
            put(db, acked, "b", "2", new WriteOptions().sync(true));
            assertHolds(db, acked);
        }
        try (StrataDb db = StrataDb.open(path, options(new FaultInjectionFileSystem()))) {
            assertHolds(db, acked);
        }
    }

    private void walAppendThatCannotBeUndoneStopsWrites(Path path) {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        Map<String, String> acked = new LinkedHashMap<>();
        try (StrataDb db = StrataDb.open(path, options(fs))) {
            put(db, acked, "a", "1", new WriteOptions());
            FaultInjectionFileSystem.Fault append = failAlways(Op.APPEND, named(".wal"));
            FaultInjectionFileSystem.Fault truncate = failAlways(Op.TRUNCATE, named(".wal"));
            fs.setFault((op, p) -> {
                append.before(op, p);
                truncate.before(op, p);
            });
            assertThatThrownBy(() -> db.put(b("x"), b("x")))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("reopen");
            fs.clearFault();
            assertThatThrownBy(() -> db.put(b("y"), b("y")))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("reopen");
            assertThat(db.getProperty(BACKGROUND_ERROR)).isNotEmpty();
            assertThat(s(db.get(b("a")))).isEqualTo("1");
        }
        try (StrataDb db = StrataDb.open(path, options(new FaultInjectionFileSystem()))) {
            assertThat(s(db.get(b("a")))).isEqualTo("1");
            assertThat(db.get(b("y"))).isNull();
        }
    }

    /** The memtable is full and its successor's WAL segment cannot be created. */
    private void newWalSegmentFailureFailsTheWriteThatNeedsIt(Path path) {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        Map<String, String> acked = new LinkedHashMap<>();
        try (StrataDb db = StrataDb.open(path, options(fs))) {
            fs.setFault(failAlways(Op.CREATE, named(".wal")));
            StrataException failed = null;
            for (int i = 0; failed == null; i++) {
                String key = String.format("k-%05d", i);
                try {
                    put(db, acked, key, value(key), new WriteOptions());
                } catch (StrataException e) {
                    failed = e;
                }
            }
            assertThat(failed).hasMessageContaining("WAL segment").hasMessageContaining("injected failure");
            assertThatThrownBy(() -> db.put(b("again"), b("x"))).isInstanceOf(StrataException.class);
            assertThat(db.getProperty(IMMUTABLES)).isEqualTo("0");
            assertHolds(db, acked);
            fs.clearFault();
            put(db, acked, "after", "y", new WriteOptions());
            assertThat(db.getProperty(IMMUTABLES)).isEqualTo("1");
            assertHolds(db, acked);
        }
        try (StrataDb db = StrataDb.open(path, options(new FaultInjectionFileSystem()))) {
            assertHolds(db, acked);
        }
    }

    /**
     * Flushes fail persistently and the immutable queue fills: writers get the flush error at
     * once instead of hanging, and the store recovers when the flush does.
     */
    private void persistentFlushFailureFailsWritersFast(Path path) throws Exception {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        Map<String, String> acked = new LinkedHashMap<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (StrataDb db = StrataDb.open(path, options(fs).maxImmutableMemtables(1))) {
            fs.setFault(failAlways(Op.APPEND, named(".sst")));
            Future<?> writes = pool.submit(() -> {
                for (int i = 0; i < 1_000_000; i++) {
                    String key = String.format("k-%07d", i);
                    put(db, acked, key, value(key), new WriteOptions());
                }
                return null;
            });
            try {
                writes.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                fail("a million writes succeeded while every flush failed");
            } catch (ExecutionException e) {
                assertThat(e.getCause())
                        .isInstanceOf(StrataException.class)
                        .hasMessageContaining("flush")
                        .hasMessageContaining("injected failure");
            }
            assertThat(db.getProperty(IMMUTABLES)).isEqualTo("1");
            // Later writes fail just as fast; none of them is half done.
            Future<?> again = pool.submit(() -> db.put(b("late"), b("x")));
            assertThatThrownBy(() -> again.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StrataException.class);
            assertThat(db.get(b("late"))).isNull();
            assertHolds(db, acked);

            fs.clearFault();
            await().atMost(PATIENCE)
                    .until(() -> db.getProperty(IMMUTABLES).equals("0")
                            && db.getProperty(BACKGROUND_ERROR).isEmpty());
            put(db, acked, "late", "y", new WriteOptions());
            assertHolds(db, acked);
        } finally {
            pool.shutdownNow();
        }
        try (StrataDb db = StrataDb.open(path, options(new FaultInjectionFileSystem()))) {
            assertHolds(db, acked);
        }
    }
}
