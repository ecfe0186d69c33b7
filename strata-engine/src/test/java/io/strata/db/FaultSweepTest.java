package io.strata.db;

import static io.strata.db.StoreFiles.b;
import static io.strata.db.StoreFiles.numbers;
import static io.strata.db.StoreFiles.s;
import static io.strata.db.StoreFiles.tables;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.Compression;
import io.strata.Options;
import io.strata.Snapshot;
import io.strata.StrataDb;
import io.strata.StrataException;
import io.strata.StrataIterator;
import io.strata.TestOptions;
import io.strata.WriteBatch;
import io.strata.WriteOptions;
import io.strata.fs.CallSite;
import io.strata.fs.FaultInjectionFileSystem;
import io.strata.fs.FaultInjectionFileSystem.Op;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure, and separately a power loss, at each I/O call site of a workload that exercises
 * every path of the engine: puts, deletes and batches (some synced), memtable swaps, background
 * flushes and compactions, a snapshot, gets and scans, a checkpoint, a manual compaction, close
 * and reopen.
 *
 * <p>A counting run first records every file-system operation by call site ({@link CallSite}:
 * operation, file kind, calling frame). Then, for each chosen (call site, occurrence), the
 * workload runs again on a fresh store with that one operation
 *
 * <ul>
 *   <li>failed with an IOException: the error must reach the caller of the API call that hit
 *       it, or the background-error state (failed-flush or failed-compaction counters); only the
 *       failures in {@link #SILENT} may go unreported. The workload goes on as an
 *       application would (reopening when the store asks for it);</li>
 *   <li>or turned into a power loss (every unsynced byte and directory entry dropped): the
 *       workload stops there.</li>
 * </ul>
 *
 * Afterwards the store is reopened on a clean file system: the open succeeds, every key holds a
 * value the model allows (every acknowledged write, or after a power loss every one that a
 * later sync made durable; no write reported as "nothing was written"), no other key exists,
 * and the directory holds exactly the live tables, one WAL segment, one MANIFEST and no
 * temporary file.
 *
 * <p>The CI form fails the first and one seeded-random later occurrence of each call site;
 * {@code -Dstrata.faultSweep=all} runs every occurrence (every operation of the workload).
 */
class FaultSweepTest {
    private static final long SEED = 0x5EEDFA17L;
    private static final boolean ALL = "all".equals(System.getProperty("strata.faultSweep"));
    private static final int KEYS = 150;
    /**
     * Failures the engine absorbs without reporting them: a delete of a file nothing needs any
     * more (logged; the next open removes it), a hard link (the checkpoint copies instead).
     */
    private static final Set<Op> SILENT = EnumSet.of(Op.DELETE, Op.LINK);

    @TempDir
    Path tmp;

    enum Mode {
        FAIL,
        POWER_LOSS
    }

    private static Options options(FaultInjectionFileSystem fs) {
        // Tiny memtables and levels, so that the short workload swaps, flushes and compacts
        // many times and reaches level 2; no compression, so its shape does not depend on data.
        return new Options()
                .fileSystem(fs)
                .compression(Compression.NONE)
                .writeBufferSize(4 * 1024)
                .blockSize(1024)
                .targetFileSize(4 * 1024)
                .maxBytesForLevelBase(8 * 1024)
                .maxBytesForLevelMultiplier(2)
                .level0FileNumCompactionTrigger(2)
                .blockCacheSize(16 * 1024)
                .backgroundRetryDelay(Duration.ofMillis(1), Duration.ofMillis(20));
    }

    /** Counts operations per call site, and fails (or crashes at) one chosen occurrence. */
    private static final class SiteFault implements FaultInjectionFileSystem.Fault {
        final FaultInjectionFileSystem fs;
        final Map<CallSite, AtomicInteger> seen = new ConcurrentHashMap<>();
        final CallSite target;
        final int occurrence;
        final Mode mode;
        /** Set once the chosen operation has been hit. */
        volatile IOException injected;
        /** Set by the workload while it closes a store (after its last look at the failure counters). */
        volatile boolean closing;
        /** Whether the chosen operation was hit while a store closed. */
        volatile boolean hitWhileClosing;

        SiteFault(FaultInjectionFileSystem fs, CallSite target, int occurrence, Mode mode) {
            this.fs = fs;
            this.target = target;
            this.occurrence = occurrence;
            this.mode = mode;
        }

        @Override
        public void before(Op op, Path path) throws IOException {
            CallSite site = CallSite.of(op, path);
            int n = seen.computeIfAbsent(site, k -> new AtomicInteger()).incrementAndGet();
            if (site.equals(target) && n == occurrence) {
                IOException e = new IOException("injected " + mode + " at " + site + " #" + n);
                injected = e;
                hitWhileClosing = closing;
                if (mode == Mode.POWER_LOSS) {
                    fs.crash(true);
                }
                throw e;
            }
        }
    }

    /** What the workload wrote, in order, and whether each write was acknowledged. */
    private static final class Model {
        record Write(String key, String value, boolean acked, boolean sync, boolean maybeApplied) {}

        final List<Write> writes = new ArrayList<>();

        void record(Map<String, String> entries, boolean sync, StrataException failure) {
            // A write that failed may or may not be in the log, unless the store said it is not.
            boolean maybe = failure != null && !failure.getMessage().contains("nothing was written");
            entries.forEach((k, v) -> writes.add(new Write(k, v, failure == null, sync, maybe)));
        }

        /**
         * The values each key may hold (null: absent). Everything acknowledged up to the last
         * durable write must be there; later writes may be lost ({@code unsyncedMayBeLost}
         * after a power loss: durable means a synced write acknowledged after it).
         */
        Map<String, Set<String>> allowed(boolean unsyncedMayBeLost) {
            int durable = -1;
            for (int i = 0; i < writes.size(); i++) {
                Write w = writes.get(i);
                if (w.acked && (w.sync || !unsyncedMayBeLost)) {
                    durable = i;
                }
            }
            Map<String, Set<String>> allowed = new TreeMap<>();
            for (int i = 0; i < writes.size(); i++) {
                Write w = writes.get(i);
                Set<String> values = allowed.computeIfAbsent(w.key, k -> setOf((String) null));
                if (w.acked && i <= durable) {
                    values.clear();
                    values.add(w.value);
                } else if (w.acked || w.maybeApplied) {
                    values.add(w.value);
                }
            }
            return allowed;
        }

        private static Set<String> setOf(String value) {
            Set<String> set = new HashSet<>();
            set.add(value);
            return set;
        }
    }

    /** One run of the workload against one store directory. */
    private static final class Workload {
        final Path dir;
        final FaultInjectionFileSystem fs;
        final SiteFault fault;
        final Model model = new Model();
        final Random rnd = new Random(SEED);
        final List<StrataException> errors = new ArrayList<>();
        long flushFailures;
        long compactionFailures;
        StrataDb db;

        Workload(Path dir, FaultInjectionFileSystem fs, SiteFault fault) {
            this.dir = dir;
            this.fs = fs;
            this.fault = fault;
        }

        /** Whether a power loss has happened: nothing done afterwards can reach the disk. */
        boolean crashed() {
            return fault.mode == Mode.POWER_LOSS && fault.injected != null;
        }

        void run() {
            open();
            Snapshot snapshot = null;
            for (int i = 0; i < 400 && !crashed(); i++) {
                if (db == null) {
                    open();
                    continue;
                }
                switch (i) {
                    case 120 -> snapshot = value(db::snapshot);
                    case 200 -> call(db::flush);
                    case 250 -> checkpoint();
                    case 320 -> {
                        if (snapshot != null) {
                            snapshot.close();
                            snapshot = null;
                        }
                    }
                    default -> step();
                }
            }
            if (!crashed() && db != null) {
                call(() -> db.compactRange(null, null));
                scan();
            }
            if (snapshot != null && !crashed()) {
                snapshot.close();
            }
            close();
            open();
            for (int i = 0; i < 100 && !crashed() && db != null; i++) {
                step();
            }
            close();
        }

        private void step() {
            int r = rnd.nextInt(100);
            String key = String.format("key%04d", rnd.nextInt(KEYS));
            if (r < 10) {
                value(() -> db.get(b(key)));
                return;
            }
            boolean sync = r < 20;
            WriteBatch batch = new WriteBatch();
            Map<String, String> entries = new LinkedHashMap<>();
            int n = r < 30 ? 2 + rnd.nextInt(4) : 1;
            for (int j = 0; j < n; j++) {
                String k = j == 0 ? key : String.format("key%04d", rnd.nextInt(KEYS));
                if (rnd.nextInt(8) == 0) {
                    batch.delete(b(k));
                    entries.put(k, null);
                } else {
                    String v = "v" + k + "-" + rnd.nextInt(1_000_000) + "-" + "x".repeat(rnd.nextInt(120));
                    batch.put(b(k), b(v));
                    entries.put(k, v);
                }
            }
            StrataException failure = call(() -> db.write(batch, new WriteOptions().sync(sync)));
            model.record(entries, sync, failure);
            if (failure != null && failure.getMessage().contains("reopen")) {
                close();
                open();
            }
        }

        private void checkpoint() {
            Path target = dir.resolveSibling(dir.getFileName() + "-checkpoint");
            boolean failed = call(() -> db.checkpoint(target)) != null;
            if (fault.mode == Mode.FAIL) {
                if (failed) {
                    assertThat(target).as("a failed checkpoint leaves nothing").doesNotExist();
                }
                assertThat(target.resolveSibling(target.getFileName() + FileNames.TEMP_SUFFIX))
                        .as("the checkpoint's temporary directory")
                        .doesNotExist();
            }
        }

        /** Reads every key through an iterator; the values must be ones the model allows. */
        private void scan() {
            call(() -> {
                Map<String, Set<String>> allowed = model.allowed(false);
                try (StrataIterator it = db.iterator()) {
                    for (it.seekToFirst(); it.valid(); it.next()) {
                        assertThat(allowed.get(s(it.key())))
                                .as("scan: %s", s(it.key()))
                                .contains(s(it.value()));
                    }
                }
            });
        }

        private void open() {
            // A failure injected into the open itself fails that open; the next one works.
            for (int attempt = 0; attempt < 2 && db == null && !crashed(); attempt++) {
                try {
                    db = StrataDb.open(dir, options(fs));
                } catch (StrataException e) {
                    errors.add(e);
                }
            }
        }

        private void close() {
            if (db == null) {
                return;
            }
            fault.closing = true;
            if (!crashed()) {
                call(() -> {
                    flushFailures += db.statistics().flushFailures();
                    compactionFailures += db.statistics().compactionFailures();
                });
            }
            call(db::close);
            fault.closing = false;
            db = null;
        }

        private StrataException call(Runnable r) {
            try {
                r.run();
                return null;
            } catch (StrataException e) {
                errors.add(e);
                return e;
            }
        }

        private <T> T value(Supplier<T> s) {
            try {
                return s.get();
            } catch (StrataException e) {
                errors.add(e);
                return null;
            }
        }

        /** Whether the injected failure reached a caller or the background-error state. */
        boolean reported() {
            for (StrataException e : errors) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t == fault.injected
                            || (t.getMessage() != null && t.getMessage().contains(fault.injected.getMessage()))) {
                        return true;
                    }
                }
            }
            // A flush or compaction failing while the store closes is logged, with nobody left to
            // tell; the reopen still checks that it lost nothing.
            return flushFailures + compactionFailures > 0 || fault.hitWhileClosing;
        }
    }

    @Test
    void everyCallSiteFailedAndCrashedInTurn() throws Exception {
        long start = System.nanoTime();
        FaultInjectionFileSystem countingFs = new FaultInjectionFileSystem();
        countingFs.skipDeviceSyncs();
        SiteFault counting = new SiteFault(countingFs, null, 0, Mode.FAIL);
        countingFs.setFault(counting);
        Workload clean = new Workload(tmp.resolve("counting"), countingFs, counting);
        clean.run();
        System.out.printf("FaultSweepTest: the counting run took %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(clean.errors).as("the workload without faults").isEmpty();
        verifyReopened(clean, "counting run");
        Map<CallSite, Integer> sites = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        counting.seen.forEach((site, n) -> sites.put(site, n.get()));
        int operations = sites.values().stream().mapToInt(Integer::intValue).sum();
        Map<Op, Integer> perOp = new TreeMap<>();
        sites.forEach((site, n) -> perOp.merge(site.op(), n, Integer::sum));
        System.out.printf(
                "FaultSweepTest seed=%d mode=%s: the workload makes %d file-system operations at %d "
                        + "distinct call sites; per operation %s%n",
                SEED, ALL ? "all" : "sampled", operations, sites.size(), perOp);
        sites.forEach((site, n) -> System.out.printf("  %5d  %s%n", n, site));

        Random sampler = new Random(SEED);
        List<Map.Entry<CallSite, Integer>> runs = new ArrayList<>();
        for (Map.Entry<CallSite, Integer> e : sites.entrySet()) {
            if (ALL) {
                for (int k = 1; k <= e.getValue(); k++) {
                    runs.add(Map.entry(e.getKey(), k));
                }
            } else {
                runs.add(Map.entry(e.getKey(), 1));
                if (e.getValue() > 1) {
                    runs.add(Map.entry(e.getKey(), 2 + sampler.nextInt(e.getValue() - 1)));
                }
            }
        }
        int run = 0;
        for (Mode mode : Mode.values()) {
            long modeStart = System.nanoTime();
            int injected = 0;
            Set<CallSite> hit = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
            List<String> unreported = new ArrayList<>();
            for (Map.Entry<CallSite, Integer> target : runs) {
                Path dir = tmp.resolve("run-" + run++);
                FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
                fs.skipDeviceSyncs();
                SiteFault fault = new SiteFault(fs, target.getKey(), target.getValue(), mode);
                fs.setFault(fault);
                Workload w = new Workload(dir, fs, fault);
                String where = mode + " at " + target.getKey() + " #" + target.getValue();
                w.run();
                if (fault.injected == null) {
                    CrashRecoveryTest.deleteRecursively(dir.getParent().resolve(dir.getFileName() + "-checkpoint"));
                    CrashRecoveryTest.deleteRecursively(dir);
                    continue; // this run took another path (background timing): not reached
                }
                injected++;
                hit.add(target.getKey());
                if (mode == Mode.FAIL
                        && !w.reported()
                        && !SILENT.contains(target.getKey().op())) {
                    unreported.add(where);
                }
                verifyReopened(w, where);
                CrashRecoveryTest.deleteRecursively(dir.getParent().resolve(dir.getFileName() + "-checkpoint"));
                CrashRecoveryTest.deleteRecursively(dir);
            }
            System.out.printf(
                    "FaultSweepTest %s: %d runs, %d injected at %d of %d call sites, %d not reached, %d ms%n",
                    mode,
                    runs.size(),
                    injected,
                    hit.size(),
                    sites.size(),
                    runs.size() - injected,
                    (System.nanoTime() - modeStart) / 1_000_000);
            assertThat(unreported)
                    .as("%s: failures that reached neither a caller nor the background-error state", mode)
                    .isEmpty();
            assertThat(hit.size())
                    .as("%s: call sites whose failure was injected", mode)
                    .isGreaterThanOrEqualTo(sites.size() * 9 / 10);
        }
        System.out.printf("FaultSweepTest: done in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Reopens on a clean file system: the open succeeds, every key holds a value the model
     * allows, no other key exists, and the directory holds only live files.
     */
    private static void verifyReopened(Workload w, String where) throws IOException {
        Map<String, Set<String>> allowed = w.model.allowed(w.crashed());
        // Without compaction (by count or by size), so no table is written while the directory is listed.
        Options quiet = TestOptions.withoutCompaction(options(new FaultInjectionFileSystem()))
                .maxBytesForLevelBase(1L << 40);
        try (StrataDb db = StrataDb.open(w.dir, quiet)) {
            for (Map.Entry<String, Set<String>> e : allowed.entrySet()) {
                assertThat(e.getValue()).as("%s: get %s", where, e.getKey()).contains(s(db.get(b(e.getKey()))));
            }
            try (StrataIterator it = db.iterator()) {
                for (it.seekToFirst(); it.valid(); it.next()) {
                    assertThat(allowed).as("%s: a key never written", where).containsKey(s(it.key()));
                }
            }
            Set<Long> live = new TreeSet<>();
            for (List<FileMetaData> level : StoreFiles.liveFiles(w.dir)) {
                level.forEach(f -> live.add(f.number()));
            }
            assertThat(new TreeSet<>(tables(w.dir)))
                    .as("%s: tables on disk (no orphans)", where)
                    .isEqualTo(live);
            assertThat(numbers(w.dir, FileNames.Kind.WAL))
                    .as("%s: WAL segments", where)
                    .hasSize(1);
            assertThat(numbers(w.dir, FileNames.Kind.MANIFEST))
                    .as("%s: MANIFESTs", where)
                    .hasSize(1);
            assertThat(numbers(w.dir, FileNames.Kind.TEMP))
                    .as("%s: temporary files", where)
                    .isEmpty();
        }
        Path checkpoint = w.dir.resolveSibling(w.dir.getFileName() + "-checkpoint");
        if (!w.crashed() && Files.exists(checkpoint)) {
            try (StrataDb db = StrataDb.open(checkpoint, options(new FaultInjectionFileSystem()))) {
                assertThat(db.getProperty("strata.last-sequence"))
                        .as("%s: the checkpoint opens", where)
                        .isNotNull();
            }
        }
    }
}
