package io.strata.db;

import static io.strata.db.StoreFiles.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.Options;
import io.strata.Statistics;
import io.strata.StrataDb;
import io.strata.WriteStallReason;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatisticsTest {
    @TempDir
    Path dir;

    @Test
    void statisticsReflectIngestFlushesAndCompactions() {
        Options options = new Options().writeBufferSize(8 * 1024).level0FileNumCompactionTrigger(2);
        try (StrataDb db = StrataDb.open(dir, options)) {
            Statistics empty = db.statistics();
            assertThat(empty.bytesIngested()).isZero();
            assertThat(empty.flushes()).isZero();
            for (int i = 0; i < 2000; i++) {
                db.put(b("key-" + i), b("value-" + i));
            }
            db.compactRange(null, null);
            Statistics s = db.statistics();
            assertThat(s.lastSequence()).isEqualTo(2000);
            assertThat(s.bytesIngested()).isGreaterThan(2000L * 10);
            assertThat(s.flushes()).isPositive();
            assertThat(s.flushBytes()).isPositive();
            assertThat(s.compactions()).isPositive();
            assertThat(s.compactionBytesWritten()).isPositive();
            assertThat(s.writeAmplification()).isGreaterThan(1.0);
            assertThat(s.filesPerLevel()).hasSize(7);
            assertThat(s.filesPerLevel().get(0)).isZero();
            assertThat(s.bytesPerLevel().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(Long.parseLong(db.getProperty("strata.live-sst-bytes")));
            assertThat(s.stallWrites()).hasSize(Statistics.STALL_REASONS.size());
            for (int i = 0; i < 2000; i += 7) {
                db.get(b("key-" + i));
                db.get(b("key-" + i));
            }
            Statistics read = db.statistics();
            assertThat(read.blockCacheHits()).isPositive();
            assertThat(read.blockCacheMisses()).isPositive();
            assertThat(read.blockCacheBytes()).isPositive();
            assertThat(read.openTables()).isPositive();
        }
    }

    @Test
    void stallReasonLabelsAreTheDocumentedMetricNames() {
        // Metrics and dashboards name the reasons by these labels, in this order.
        assertThat(Statistics.STALL_REASONS).containsExactly("memtable-queue-full", "level0-stop", "level0-slowdown");
        assertThat(Arrays.stream(WriteStallReason.values())
                        .map(WriteStallReason::label)
                        .toList())
                .isEqualTo(Statistics.STALL_REASONS);
    }

    @Test
    void statisticsOfAClosedStoreIsAnError() {
        StrataDb db = StrataDb.open(dir);
        db.close();
        assertThatThrownBy(db::statistics)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
