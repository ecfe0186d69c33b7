package io.strata.db;

import static io.strata.db.StoreFiles.b;
import static io.strata.db.StoreFiles.contents;
import static io.strata.db.StoreFiles.s;
import static io.strata.db.StoreFiles.tables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strata.Compression;
import io.strata.Options;
import io.strata.StrataDb;
import io.strata.StrataException;
import io.strata.TestOptions;
import io.strata.WriteOptions;
import io.strata.fs.FaultInjectionFileSystem;
import io.strata.fs.FaultInjectionFileSystem.Op;
import io.strata.util.FileNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk (ENOSPC, as {@link FaultInjectionFileSystem#setDiskFull} makes it): writes fail
 * with an error saying the disk is full and the data written before is safe; reads go on;
 * flushes and compactions that fail keep their inputs and are retried; once space returns,
 * writes resume without a reopen, and a reopen finds every acknowledged write.
 *
 * <p>Not tested on a real small file system: that needs a loop or tmpfs mount, which needs
 * root (and CI containers usually refuse mounts even to root).
 */
class DiskFullTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private static Options options(FaultInjectionFileSystem fs) {
        return new Options()
                .fileSystem(fs)
                .compression(Compression.NONE)
                .writeBufferSize(8 * 1024)
                .maxImmutableMemtables(1)
                .backgroundRetryDelay(Duration.ofMillis(5), Duration.ofMillis(100));
    }

    private static String key(int i) {
        return String.format("key%05d", i);
    }

    private static void put(StrataDb db, Map<String, String> acked, int i, String tag) {
        String v = tag + "-" + i + "-" + "v".repeat(100);
        db.put(b(key(i)), b(v));
        acked.put(key(i), v);
    }

    private static void assertHolds(StrataDb db, Map<String, String> acked) {
        for (Map.Entry<String, String> e : acked.entrySet()) {
            assertThat(s(db.get(b(e.getKey())))).as("get %s", e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(contents(db)).isEqualTo(acked);
    }

    /** The disk fills as a flush creates its table: the flush fails, then every write, until space returns. */
    @Test
    void writesFailWhileTheDiskIsFullReadsGoOnAndWritesResumeWhenSpaceReturns() {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        Map<String, String> acked = new TreeMap<>();
        Path dir = tmp.resolve("db");
        try (StrataDb db = StrataDb.open(dir, options(fs))) {
            for (int i = 0; i < 300; i++) {
                put(db, acked, i, "before");
            }
            db.flush();
            // The disk fills under a flush (a compaction may create a table first: not that one).
            fs.setFault((op, p) -> {
                if (op == Op.CREATE
                        && p.getFileName().toString().endsWith(".sst")
                        && Thread.currentThread().getName().startsWith("strata-flush-")) {
                    fs.setDiskFull(true, false);
                }
            });
            // Writes go on into the memtables until the disk fills under the flush, and then
            // fail: the WAL append (or the next segment's creation) meets the full disk.
            StrataException failure = null;
            for (int i = 300; failure == null; i++) {
                assertThat(i).as("writes still succeed on a full disk").isLessThan(10_000);
                try {
                    put(db, acked, i, "filling");
                } catch (StrataException e) {
                    failure = e;
                }
            }
            fs.clearFault();
            assertThat(failure)
                    .hasMessageContaining("disk is full")
                    .hasMessageContaining("No space left on device")
                    .hasMessageContaining("written before is safe");
            assertThatThrownBy(() -> db.put(b("late"), b("x")))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("disk is full")
                    .hasMessageContaining("safe");
            await().atMost(PATIENCE).until(() -> db.statistics().flushFailures() > 0);
            assertThat(db.getProperty("strata.background-error")).contains("No space left on device");
            assertThatThrownBy(db::flush)
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("disk is full")
                    .hasMessageContaining("safe");
            // Reads: gets and iterators over the memtables and the tables.
            assertThat(db.get(b("late"))).isNull();
            assertHolds(db, acked);

            fs.setDiskFull(false, false);
            // Writes succeed again once the retried flush (within its backoff) has made room;
            // until then a write that must wait for that flush still fails fast.
            await().atMost(PATIENCE)
                    .until(() -> db.getProperty("strata.background-error").isEmpty());
            put(db, acked, 100_000, "after");
            for (int i = 0; i < 300; i++) {
                put(db, acked, i, "after");
            }
            db.flush();
            assertThat(db.getProperty("strata.background-error")).isEmpty();
            assertHolds(db, acked);
        }
        reopenAndCheck(dir, acked);
    }

    /** A compaction meets a full disk: it fails naming it, keeps its inputs, and works once space returns. */
    @Test
    void aCompactionOnAFullDiskKeepsItsInputsAndSucceedsLater() {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        Map<String, String> acked = new TreeMap<>();
        Path dir = tmp.resolve("db");
        try (StrataDb db = StrataDb.open(dir, TestOptions.withoutCompaction(options(fs)))) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 200; i++) {
                    put(db, acked, i * 3 + round, "r" + round);
                }
                db.flush();
            }
            fs.setDiskFull(true, false);
            assertThatThrownBy(() -> db.compactRange(null, null))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("disk is full")
                    .hasMessageContaining("stay as they were");
            assertThat(db.getProperty("strata.compaction-error")).contains("No space left on device");
            assertHolds(db, acked);
            fs.setDiskFull(false, false);
            db.compactRange(null, null);
            assertThat(db.getProperty("strata.num-files-at-level0")).isEqualTo("0");
            assertThat(db.getProperty("strata.compaction-error")).isEmpty();
            assertHolds(db, acked);
        }
        reopenAndCheck(dir, acked);
    }

    /**
     * An fsync fails for lack of space. Unlike a failed append, that is not retried: what the
     * operating system kept of the unsynced data is unknown ("fsyncgate"), so writes stop,
     * saying so, until a reopen reads the log back.
     */
    @Test
    void aFailedFsyncOnAFullDiskStopsWritesUntilReopen() {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        Map<String, String> acked = new TreeMap<>();
        Path dir = tmp.resolve("db");
        try (StrataDb db = StrataDb.open(dir, options(fs))) {
            put(db, acked, 1, "synced");
            db.put(b(key(1)), b(acked.get(key(1))), new WriteOptions().sync(true));
            put(db, acked, 2, "unsynced");
            fs.setDiskFull(true, true);
            // The flush first fsyncs the WAL segment, which holds unsynced bytes.
            assertThatThrownBy(db::flush)
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("could not be synced")
                    .hasMessageContaining("disk is full")
                    .hasMessageContaining("reopened");
            fs.setDiskFull(false, false);
            assertThatThrownBy(() -> db.put(b("x"), b("x")))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("reopen")
                    .hasMessageContaining("disk is full");
            assertHolds(db, acked);
        }
        reopenAndCheck(dir, acked);
    }

    /** Opening a store on a full disk fails, naming it, and changes nothing. */
    @Test
    void openingOnAFullDiskFailsNamingItAndChangesNothing() throws Exception {
        Path dir = tmp.resolve("db");
        Map<String, String> acked = new TreeMap<>();
        try (StrataDb db = StrataDb.open(dir, options(new FaultInjectionFileSystem()))) {
            for (int i = 0; i < 50; i++) {
                put(db, acked, i, "v");
            }
        }
        Map<String, byte[]> before = RecoveryErrorTest.contents(dir);
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        fs.setDiskFull(true, false);
        assertThatThrownBy(() -> StrataDb.open(dir, options(fs)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("cannot open the store at " + dir)
                .hasMessageContaining("disk is full")
                .hasMessageContaining("once space is freed");
        RecoveryErrorTest.assertUnchanged(dir, before);
        reopenAndCheck(dir, acked);
    }

    /** Reopens on a healthy disk: every acknowledged write, and only live files. */
    private static void reopenAndCheck(Path dir, Map<String, String> acked) {
        try (StrataDb db = StrataDb.open(dir, TestOptions.withoutCompaction(options(new FaultInjectionFileSystem())))) {
            assertHolds(db, acked);
            assertThat(new TreeSet<>(tables(dir))).as("tables on disk").hasSize(StoreFiles.liveTableCount(db));
            assertThat(StoreFiles.numbers(dir, FileNames.Kind.TEMP)).isEmpty();
        }
    }
}
