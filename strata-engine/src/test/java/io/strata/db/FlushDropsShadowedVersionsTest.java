package io.strata.db;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.ReadOptions;
import io.strata.Snapshot;
import io.strata.StrataDb;
import io.strata.sstable.TableInspector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flush writes a key's versions that some reader may still see, and no other: each key's
 * newest, every tombstone, and what a live snapshot reads; a version shadowed by a newer one at or
 * below the oldest snapshot never reaches level 0. The same holds for the table that recovery
 * writes from a replayed WAL.
 */
class FlushDropsShadowedVersionsTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static void overwrite(StrataDb db, int from, int to) {
        for (int v = from; v <= to; v++) {
            db.put(b("k"), b("v" + v));
        }
    }

    /** Entries and tombstones of every table of {@code store}. */
    private static long[] tableEntries(Path store) throws IOException {
        List<Path> tables;
        try (Stream<Path> files = Files.list(store)) {
            tables = files.filter(p -> p.toString().endsWith(".sst")).toList();
        }
        long[] counts = new long[2];
        for (Path table : tables) {
            TableInspector.Properties p = TableInspector.open(table).properties();
            counts[0] += p.entries();
            counts[1] += p.tombstones();
        }
        return counts;
    }

    @Test
    void withoutSnapshotsOnlyEachKeysNewestVersionIsWritten() throws IOException {
        try (StrataDb db = StrataDb.open(dir)) {
            overwrite(db, 1, 100);
            db.put(b("d"), b("gone"));
            db.delete(b("d"));
            db.flush();
            assertThat(tableEntries(dir)).as("entries, tombstones").containsExactly(2, 1);
            assertThat(db.get(b("k"))).isEqualTo(b("v100"));
            assertThat(db.get(b("d"))).isNull();
        }
        try (StrataDb db = StrataDb.open(dir)) {
            assertThat(db.get(b("k"))).isEqualTo(b("v100"));
            assertThat(db.get(b("d"))).isNull();
        }
    }

    @Test
    void aLiveSnapshotKeepsWhatItReads() throws IOException {
        try (StrataDb db = StrataDb.open(dir)) {
            overwrite(db, 1, 40);
            try (Snapshot snapshot = db.snapshot()) {
                overwrite(db, 41, 100);
                db.flush();
                // v1..v39 are shadowed at or below the snapshot (by v40); v40 is what it reads,
                // and LevelDB's rule keeps every version above it.
                assertThat(tableEntries(dir)[0]).isEqualTo(61);
                assertThat(db.get(b("k"), new ReadOptions().snapshot(snapshot))).isEqualTo(b("v40"));
                assertThat(db.get(b("k"))).isEqualTo(b("v100"));
            }
        }
    }

    @Test
    void recoveryWritesTheReplayedNewestVersions() throws IOException {
        try (StrataDb db = StrataDb.open(dir)) {
            overwrite(db, 1, 100);
        }
        assertThat(tableEntries(dir)[0])
                .as("closed with its writes in the WAL alone")
                .isZero();
        try (StrataDb db = StrataDb.open(dir)) {
            assertThat(tableEntries(dir))
                    .as("entries, tombstones of the replayed table")
                    .containsExactly(1, 0);
            assertThat(db.get(b("k"))).isEqualTo(b("v100"));
        }
    }
}
