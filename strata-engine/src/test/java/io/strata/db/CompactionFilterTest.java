package io.strata.db;

import static io.strata.db.StoreFiles.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.Options;
import io.strata.ReadOptions;
import io.strata.Snapshot;
import io.strata.StrataDb;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionFilterTest {
    @TempDir
    Path dir;

    private final AtomicLong asked = new AtomicLong();

    /** Values starting with "dead" are dead. */
    private Options options() {
        return new Options().writeBufferSize(8 * 1024).compactionFilter((key, value) -> {
            asked.incrementAndGet();
            return value.length >= 4 && value[0] == 'd' && value[1] == 'e' && value[2] == 'a' && value[3] == 'd';
        });
    }

    private static String padded(String s) {
        return s + "-" + "p".repeat(80);
    }

    @Test
    void deadValuesAreRemovedAndDoNotUncoverOlderVersions() {
        try (StrataDb db = StrataDb.open(dir, options())) {
            for (int i = 0; i < 500; i++) {
                db.put(b("k" + i), b(padded("old-live-" + i)));
            }
            db.compactRange(null, null); // the old versions now sit in a lower level
            for (int i = 0; i < 500; i += 2) {
                db.put(b("k" + i), b(padded("dead-" + i)));
            }
            db.compactRange(null, null);
            assertThat(asked.get()).isPositive();
            long bytes = Long.parseLong(db.getProperty("strata.live-sst-bytes"));
            for (int i = 0; i < 500; i++) {
                // A dead value becomes a tombstone: the old live version stays hidden.
                assertThat(db.get(b("k" + i))).as("k%d", i).isEqualTo(i % 2 == 0 ? null : b(padded("old-live-" + i)));
            }
            db.compactRange(null, null);
            assertThat(Long.parseLong(db.getProperty("strata.live-sst-bytes"))).isLessThanOrEqualTo(bytes);
        }
        try (StrataDb db = StrataDb.open(dir, options())) {
            assertThat(db.get(b("k0"))).isNull();
            assertThat(db.get(b("k1"))).isEqualTo(b(padded("old-live-1")));
        }
    }

    @Test
    void aValueASnapshotCanSeeIsNotFiltered() {
        try (StrataDb db = StrataDb.open(dir, options())) {
            db.put(b("k"), b(padded("dead-but-seen")));
            try (Snapshot snap = db.snapshot()) {
                db.compactRange(null, null);
                assertThat(db.get(b("k"), new ReadOptions().snapshot(snap))).isEqualTo(b(padded("dead-but-seen")));
                assertThat(db.get(b("k"))).isEqualTo(b(padded("dead-but-seen")));
            }
            db.compactRange(null, null);
            assertThat(db.get(b("k"))).isNull();
        }
    }
}
