package io.strata.db;

import static io.strata.db.StoreFiles.abandon;
import static io.strata.db.StoreFiles.b;
import static io.strata.db.StoreFiles.contents;
import static io.strata.db.StoreFiles.numbers;
import static io.strata.db.StoreFiles.s;
import static io.strata.db.StoreFiles.tables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.Compression;
import io.strata.Options;
import io.strata.StrataDb;
import io.strata.StrataException;
import io.strata.fs.FaultInjectionFileSystem;
import io.strata.fs.FaultInjectionFileSystem.Op;
import io.strata.key.InternalKey;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure or a crash at each file-system call of a compaction and its installation. A
 * template store holds tables in several levels (built with automatic compactions, then a few
 * more level-0 tables); it is reopened with automatic compaction off, so that from then on
 * every file-system call comes from {@code compactRange}: a cascade of merges down the levels,
 * then rewrites of the files they did not write. For k = 1, 2, 3, ... a fresh copy of the
 * template has its k-th mutating call (create, append, sync, directory sync, rename, delete)
 *
 * <ul>
 *   <li>{@link Mode#FAIL}: fail with an IOException: compactRange reports it, the store keeps
 *       serving every key and names the error, and a second compactRange succeeds;</li>
 *   <li>{@link Mode#POWER_LOSS}: crash the machine right there (unsynced data and directory
 *       entries are lost);</li>
 *   <li>{@link Mode#PROCESS_CRASH}: crash the process right there (everything written stays);</li>
 * </ul>
 * until a compactRange completes without reaching call k. After each, the store is reopened on
 * a clean file system: every key must read its value, and the tables on disk must be exactly
 * the live ones (orphans are removed at open), with one MANIFEST and no temporary file.
 * {@link #crashWhileAnInstallStartsANewManifest} does the same for the install that follows
 * a failed MANIFEST write, which writes a new MANIFEST and renames CURRENT.
 */
class CompactionCrashTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Set<Op> MUTATING =
            EnumSet.of(Op.CREATE, Op.APPEND, Op.SYNC, Op.SYNC_DIR, Op.RENAME, Op.DELETE);
    /** A bound far above the calls one compactRange makes here, so a runaway loop fails. */
    private static final int MAX_K = 2000;

    @TempDir
    Path tmp;

    enum Mode {
        FAIL,
        POWER_LOSS,
        PROCESS_CRASH
    }

    private static Options options() {
        // Small levels, so a small store spans three; one data block per output table, so a
        // compaction makes few calls per output and every k stays cheap to run; no compression,
        // so the template's shape does not depend on how well its values compress.
        return new Options()
                .compression(Compression.NONE)
                .writeBufferSize(8 * 1024)
                .targetFileSize(16 * 1024)
                .blockSize(16 * 1024)
                .maxBytesForLevelBase(16 * 1024)
                .maxBytesForLevelMultiplier(2)
                .backgroundRetryDelay(Duration.ofMillis(5), Duration.ofMillis(50));
    }

    /** No automatic compaction (no level-0 count or level size reaches its trigger): only compactRange. */
    private static Options manualOnly() {
        return options()
                .level0FileNumCompactionTrigger(1000)
                .level0SlowdownWritesTrigger(1000)
                .level0StopWritesTrigger(1000)
                .maxBytesForLevelBase(1L << 40);
    }

    /** The template store and what it holds. */
    private record Template(Path dir, Map<String, String> contents, String layout) {}

    /**
     * Built without depending on timing: all keys written and compacted into level 1; then,
     * with only the level-size triggers armed (level 1 tiny, level 2 large) and no writes,
     * compactions move the level-1 files down to level 2; then two level-0 tables of low keys
     * only. compactRange then merges level 0 into level 1, level 1 into the level-2 files of
     * low keys, and rewrites the level-2 files of high keys, which no merge touched.
     */
    private Template template() throws Exception {
        long seed = 0xC0A5CL;
        Random rnd = new Random(seed);
        Path dir = tmp.resolve("template");
        Map<String, String> expected = new TreeMap<>();
        try (StrataDb db = StrataDb.open(dir, manualOnly())) {
            for (int i = 0; i < 700; i++) {
                put(db, expected, rnd.nextInt(500), "v" + i);
            }
            db.compactRange(null, null);
        }
        Options bySize = manualOnly().maxBytesForLevelBase(4096).maxBytesForLevelMultiplier(100);
        try (StrataDb db = StrataDb.open(dir, bySize)) {
            await().atMost(PATIENCE)
                    .until(() -> withinTargets(db, bySize)
                            && db.getProperty("strata.stats").contains("compactions running: 0"));
        }
        try (StrataDb db = StrataDb.open(dir, manualOnly())) {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 50; i++) {
                    int k = rnd.nextInt(120);
                    if (rnd.nextInt(4) == 0) {
                        db.delete(key(k));
                        expected.remove(s(key(k)));
                    } else {
                        put(db, expected, k, "r" + round + "-" + i);
                    }
                }
                db.flush();
            }
            String layout = layout(db) + " "
                    + StoreFiles.liveFiles(dir).stream()
                            .map(l -> l.stream()
                                    .map(f -> f.number() + "[" + s(InternalKey.userKey(f.smallest())) + ".."
                                            + s(InternalKey.userKey(f.largest())) + "]")
                                    .toList()
                                    .toString())
                            .toList();
            System.out.printf(
                    "CompactionCrashTest template seed=%d: %d keys, files per level %s%n",
                    seed, expected.size(), layout);
            assertThat(contents(db)).isEqualTo(expected);
            assertThat(db.getProperty("strata.num-files-at-level2"))
                    .as("level-2 files: one of low keys, merged, and " + "others, rewritten")
                    .isNotIn("0", "1");
            return new Template(dir, expected, layout);
        }
    }

    private static boolean withinTargets(StrataDb db, Options o) {
        List<Long> bytes = db.statistics().bytesPerLevel();
        double target = o.maxBytesForLevelBase();
        for (int level = 1; level < bytes.size() - 1; level++, target *= o.maxBytesForLevelMultiplier()) {
            if (bytes.get(level) >= target) {
                return false;
            }
        }
        return true;
    }

    private static void put(StrataDb db, Map<String, String> expected, int k, String tag) {
        String v = "value-" + k + "-" + tag + "-" + "z".repeat(20 + k % 60);
        db.put(key(k), b(v));
        expected.put(s(key(k)), v);
    }

    private static byte[] key(int k) {
        return b(String.format("key%05d", k));
    }

    private static String layout(StrataDb db) {
        List<String> files = new ArrayList<>();
        for (int level = 0; level < 7; level++) {
            files.add(db.getProperty("strata.num-files-at-level" + level));
        }
        return String.join("/", files);
    }

    /** Fails, or crashes the file system at, the k-th mutating call after it is installed. */
    private static final class KthCall implements FaultInjectionFileSystem.Fault {
        final FaultInjectionFileSystem fs;
        final Mode mode;
        final int k;
        final AtomicInteger seen = new AtomicInteger();
        volatile String hit;

        KthCall(FaultInjectionFileSystem fs, Mode mode, int k) {
            this.fs = fs;
            this.mode = mode;
            this.k = k;
        }

        @Override
        public void before(Op op, Path path) throws IOException {
            if (!MUTATING.contains(op) || seen.incrementAndGet() != k) {
                return;
            }
            hit = op + " " + path.getFileName();
            if (mode != Mode.FAIL) {
                fs.crash(mode == Mode.POWER_LOSS);
            }
            throw new IOException("injected " + mode + " at call " + k + " (" + hit + ")");
        }
    }

    @Test
    void compactionSurvivesAFailureOrCrashAtEveryFileSystemCall() throws Exception {
        Template t = template();
        for (Mode mode : Mode.values()) {
            long start = System.nanoTime();
            Map<String, Integer> hits = new TreeMap<>();
            int k = 1;
            for (; ; k++) {
                assertThat(k).as("%s: compactRange still reaches call k", mode).isLessThan(MAX_K);
                Path dir = copy(t, mode + "-" + k);
                FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
                KthCall fault = new KthCall(fs, mode, k);
                String where = mode + " at call " + k;
                StrataDb db = StrataDb.open(dir, manualOnly().fileSystem(fs));
                fs.setFault(fault);
                boolean failed = false;
                try {
                    db.compactRange(null, null);
                } catch (StrataException e) {
                    failed = true;
                    assertThat(fault.hit)
                            .as("%s: compactRange failed without the injected fault: %s", where, e)
                            .isNotNull();
                }
                fs.clearFault();
                if (fault.hit == null) {
                    db.close();
                    verifyReopened(dir, t, where + " (no fault reached: the compaction completed)");
                    break;
                }
                if (!failed) {
                    // Only a failed delete of a file nothing needs any more goes unreported.
                    assertThat(fault.hit)
                            .as("%s: compactRange reported no failure", where)
                            .startsWith("DELETE");
                }
                hits.merge(fault.hit.replaceAll("\\d+", "N"), 1, Integer::sum);
                if (mode == Mode.FAIL) {
                    // The store goes on: every key is there, the error is named, a retry works.
                    if (failed) {
                        assertThat(db.getProperty("strata.compaction-error"))
                                .as(where)
                                .contains("injected");
                    }
                    assertThat(contents(db))
                            .as("%s (%s): contents after the failure", where, fault.hit)
                            .isEqualTo(t.contents());
                    db.compactRange(null, null);
                    assertThat(db.getProperty("strata.compaction-error"))
                            .as(where)
                            .isEmpty();
                    assertThat(contents(db))
                            .as("%s: contents after the retry", where)
                            .isEqualTo(t.contents());
                    db.close();
                } else {
                    abandon(db);
                }
                verifyReopened(dir, t, where + " (" + fault.hit + ")");
                CrashRecoveryTest.deleteRecursively(dir);
            }
            System.out.printf(
                    "CompactionCrashTest %s: a clean compactRange of %s makes %d mutating calls; "
                            + "%d runs in %d ms; calls hit: %s%n",
                    mode, t.layout(), k - 1, k, (System.nanoTime() - start) / 1_000_000, hits);
        }
    }

    /**
     * A compaction's MANIFEST sync fails, so the next install starts a new MANIFEST (snapshot,
     * fsync, CURRENT.tmp, rename, directory fsync). The machine crashes at each call of the
     * compactRange that follows.
     */
    @Test
    void crashWhileAnInstallStartsANewManifest() throws Exception {
        Template t = template();
        long start = System.nanoTime();
        Map<String, Integer> hits = new TreeMap<>();
        int k = 1;
        for (; ; k++) {
            assertThat(k).isLessThan(MAX_K);
            Path dir = copy(t, "manifest-" + k);
            FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
            String where = "power loss at call " + k + " after a failed MANIFEST sync";
            StrataDb db = StrataDb.open(dir, manualOnly().fileSystem(fs));
            fs.setFault(FaultInjectionFileSystem.failNth(
                    Op.SYNC, p -> p.getFileName().toString().startsWith("MANIFEST"), 1));
            try {
                db.compactRange(null, null);
                throw new AssertionError("the MANIFEST sync did not fail");
            } catch (StrataException expected) {
                // the install failed; its outputs stay on disk until the next open
            }
            KthCall fault = new KthCall(fs, Mode.POWER_LOSS, k);
            fs.setFault(fault);
            try {
                db.compactRange(null, null);
            } catch (StrataException e) {
                assertThat(fault.hit)
                        .as("%s: compactRange failed without the injected crash: %s", where, e)
                        .isNotNull();
            }
            fs.clearFault();
            if (fault.hit == null) {
                assertThat(numbers(dir, FileNames.Kind.MANIFEST))
                        .as("a new MANIFEST replaced the old")
                        .hasSize(1);
                db.close();
                verifyReopened(dir, t, where + " (not reached: the compaction completed)");
                break;
            }
            hits.merge(fault.hit.replaceAll("\\d+", "N"), 1, Integer::sum);
            abandon(db);
            verifyReopened(dir, t, where + " (" + fault.hit + ")");
            CrashRecoveryTest.deleteRecursively(dir);
        }
        System.out.printf(
                "CompactionCrashTest after a failed MANIFEST sync: %d calls, %d runs in %d ms; calls hit: %s%n",
                k - 1, k, (System.nanoTime() - start) / 1_000_000, hits);
        assertThat(hits).containsKey("RENAME CURRENT.tmp");
    }

    private Path copy(Template t, String name) throws IOException {
        Path dir = tmp.resolve(name);
        CrashRecoveryTest.copyDirectory(t.dir(), dir);
        return dir;
    }

    /**
     * Reopens on a clean file system: every key reads its value, and the directory holds
     * exactly the live tables, one MANIFEST and no temporary file.
     */
    private static void verifyReopened(Path dir, Template t, String where) throws IOException {
        try (StrataDb db = StrataDb.open(dir, manualOnly())) {
            assertThat(contents(db)).as("%s: contents after reopen", where).isEqualTo(t.contents());
            for (Map.Entry<String, String> e : t.contents().entrySet()) {
                assertThat(s(db.get(b(e.getKey()))))
                        .as("%s: get %s", where, e.getKey())
                        .isEqualTo(e.getValue());
            }
            Set<Long> live = new TreeSet<>();
            for (List<FileMetaData> level : StoreFiles.liveFiles(dir)) {
                level.forEach(f -> live.add(f.number()));
            }
            assertThat(live).as("%s: live tables", where).hasSize(StoreFiles.liveTableCount(db));
            assertThat(new TreeSet<>(tables(dir)))
                    .as("%s: tables on disk (no orphans)", where)
                    .isEqualTo(live);
            assertThat(numbers(dir, FileNames.Kind.MANIFEST))
                    .as("%s: MANIFESTs", where)
                    .hasSize(1);
            assertThat(numbers(dir, FileNames.Kind.TEMP))
                    .as("%s: temporary files", where)
                    .isEmpty();
        }
    }
}
