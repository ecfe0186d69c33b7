package io.strata.db;

import static io.strata.db.Markers.batch;
import static io.strata.db.Markers.checkPrefix;
import static io.strata.db.Markers.marker;
import static io.strata.db.Markers.number;
import static io.strata.db.StoreFiles.b;
import static io.strata.db.StoreFiles.longProperty;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.Limits;
import io.strata.Options;
import io.strata.StrataDb;
import io.strata.WriteBatch;
import io.strata.WriteOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WriteBatch#marker} and {@link StrataDb#durableMarker()}: the marker a flush records stays
 * right through MANIFEST rollovers (every open starts a new MANIFEST, whose snapshot record must
 * carry it) and compactions, a checkpoint carries the marker of exactly what it holds even while
 * another thread writes, and markers that cannot be honoured are refused.
 */
class DurableMarkerTest {
    @TempDir
    Path dir;

    private static Options small(boolean walOff) {
        return new Options()
                .disableWal(walOff)
                .writeBufferSize(8 * 1024)
                .level0FileNumCompactionTrigger(2)
                .targetFileSize(16 * 1024)
                .maxBytesForLevelBase(32 * 1024);
    }

    @Test
    void theMarkerSurvivesManifestRolloversAndCompactions() {
        long written = 0;
        long compactions = 0;
        for (int round = 0; round < 6; round++) {
            // Alternating: a store's marker must not depend on whether the WAL was on when written.
            boolean walOff = round % 2 == 0;
            try (StrataDb db = StrataDb.open(dir, small(walOff))) {
                assertThat(number(db.durableMarker()))
                        .as("round %d, at open", round)
                        .isEqualTo(written - 1);
                for (int i = 0; i < 400; i++, written++) {
                    db.write(batch(written));
                }
                if (round == 3) {
                    db.compactRange(null, null);
                }
                db.flush();
                assertThat(number(db.durableMarker()))
                        .as("round %d, flushed", round)
                        .isEqualTo(written - 1);
                compactions += longProperty(db, "strata.compactions");
            }
            // Opened and closed without a write: the new MANIFEST holds only its snapshot record
            // and the open's edit, neither of which names a marker of its own.
            try (StrataDb db = StrataDb.open(dir, small(walOff))) {
                assertThat(number(db.durableMarker()))
                        .as("round %d, idle reopen", round)
                        .isEqualTo(written - 1);
            }
        }
        assertThat(compactions).as("compactions ran").isPositive();
        try (StrataDb db = StrataDb.open(dir, small(true))) {
            assertThat(checkPrefix(db, written - 1, written)).isNull();
        }
    }

    @Test
    void withTheWalOnTheMarkerIsTheNewestFlushedOneBeforeAndAfterReopen() {
        try (StrataDb db = StrataDb.open(dir, new Options())) {
            db.write(batch(0));
            db.flush();
            db.write(batch(1));
            assertThat(number(db.durableMarker())).isEqualTo(0);
        }
        try (StrataDb db = StrataDb.open(dir, new Options())) {
            // Batch 1 was recovered from the WAL, but no flush recorded its marker: claimed is
            // never more than held, and here less.
            assertThat(Markers.keysHeld(db, 1)).isEqualTo(Markers.KEYS_PER_BATCH);
            assertThat(number(db.durableMarker())).isEqualTo(0);
            db.flush();
            assertThat(number(db.durableMarker())).isEqualTo(0);
            db.write(batch(2));
            db.flush();
            assertThat(number(db.durableMarker())).isEqualTo(2);
        }
    }

    /**
     * The Ratis apply thread's use: write, checkpoint between two writes on the same thread; the
     * checkpoint's marker is the last batch written.
     */
    @Test
    void aCheckpointBetweenWritesHoldsThemAllAndSaysSo() {
        Path cp = dir.resolve("cp");
        try (StrataDb db = StrataDb.open(dir.resolve("db"), small(true))) {
            for (long i = 0; i < 100; i++) {
                db.write(batch(i));
            }
            db.checkpoint(cp);
            db.write(batch(100));
        }
        try (StrataDb copy = StrataDb.open(cp, small(true))) {
            assertThat(number(copy.durableMarker())).isEqualTo(99);
            assertThat(checkPrefix(copy, 99, 101)).isNull();
        }
    }

    /**
     * Checkpoints taken while another thread writes numbered batches: each checkpoint, opened,
     * holds every batch up to its marker whole and none after it, and its marker covers every
     * batch acknowledged before the checkpoint began.
     */
    @Test
    void aCheckpointUnderAConcurrentWriterClaimsExactlyWhatItHolds() throws Exception {
        long seed = 0x5EED_3A4BL;
        System.out.println("DurableMarkerTest.aCheckpointUnderAConcurrentWriterClaimsExactlyWhatItHolds seed=" + seed);
        Random random = new Random(seed);
        int maxBatches = 40_000;
        AtomicLong acked = new AtomicLong(); // batches acknowledged: 0 .. acked-1
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        List<long[]> checkpoints = new ArrayList<>(); // {index, acked before, acked after}
        try (StrataDb db = StrataDb.open(dir.resolve("db"), small(true))) {
            Thread writer = new Thread(
                    () -> {
                        try {
                            for (long i = 0; i < maxBatches; i++) {
                                db.write(batch(i));
                                acked.set(i + 1);
                            }
                        } catch (Throwable e) {
                            writerError.set(e);
                        }
                    },
                    "marker-writer");
            writer.start();
            for (int c = 0; c < 5 && writer.isAlive(); c++) {
                long waitFor = acked.get() + 200 + random.nextInt(2000);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (acked.get() < waitFor && writer.isAlive() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                long before = acked.get();
                db.checkpoint(dir.resolve("cp-" + c));
                checkpoints.add(new long[] {c, before, acked.get()});
            }
            writer.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(writer.isAlive()).isFalse();
        }
        assertThat(writerError.get()).isNull();
        assertThat(checkpoints).hasSizeGreaterThanOrEqualTo(2);
        long written = acked.get();
        for (long[] c : checkpoints) {
            try (StrataDb copy = StrataDb.open(dir.resolve("cp-" + c[0]), small(true))) {
                long m = number(copy.durableMarker());
                System.out.printf("checkpoint %d: marker %d, acknowledged before %d, after %d%n", c[0], m, c[1], c[2]);
                assertThat(m)
                        .as("checkpoint %d holds what was acknowledged before it", c[0])
                        .isGreaterThanOrEqualTo(c[1] - 1);
                assertThat(m).as("checkpoint %d", c[0]).isLessThan(c[2] + 1);
                assertThat(checkPrefix(copy, m, written))
                        .as("checkpoint %d", c[0])
                        .isNull();
            }
        }
    }

    @Test
    void aMarkerBelowTheNewestIsRefusedAndWritesNothing() {
        try (StrataDb db = StrataDb.open(dir, small(true))) {
            db.write(batch(5));
            db.write(batch(5)); // equal is allowed
            assertThatThrownBy(() -> db.write(batch(4)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("marker 0x0000000000000004 is below the marker 0x0000000000000005")
                    .hasMessageContaining("nothing was written");
            assertThat(Markers.keysHeld(db, 4)).isZero();
            db.put(b("unmarked"), b("x")); // no marker: always accepted
            db.write(batch(6));
            db.flush();
            assertThat(number(db.durableMarker())).isEqualTo(6);
        }
        try (StrataDb db = StrataDb.open(dir, small(true))) {
            assertThatThrownBy(() -> db.write(batch(3)))
                    .as("after a reopen, below the durable marker")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is below the marker 0x0000000000000006");
        }
    }

    @Test
    void aMarkerLongerThanTheLimitIsRefused() {
        WriteBatch batch = new WriteBatch().marker(new byte[Limits.MAX_MARKER_SIZE]);
        assertThat(batch.marker()).hasSize(64);
        assertThatThrownBy(() -> batch.marker(new byte[Limits.MAX_MARKER_SIZE + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("marker is 65 bytes; the limit is 64");
        assertThat(batch.marker(null).marker()).isNull();
        assertThat(new WriteBatch().marker(marker(1)).clear().marker())
                .as("clear drops it")
                .isNull();
    }

    @Test
    void aSyncThatCannotBeHonouredIsRefused() {
        assertThatThrownBy(
                        () -> StrataDb.open(dir, new Options().disableWal(true).syncWal(true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("syncWal and disableWal cannot both be set");
        try (StrataDb db = StrataDb.open(dir, new Options().disableWal(true))) {
            assertThatThrownBy(() -> db.write(batch(0), new WriteOptions().sync(true)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a synced write (WriteOptions.sync) cannot be honoured")
                    .hasMessageContaining("Options.disableWal")
                    .hasMessageContaining("nothing was written");
            assertThat(Markers.keysHeld(db, 0)).isZero();
            db.write(batch(0));
            assertThat(Markers.keysHeld(db, 0)).isEqualTo(Markers.KEYS_PER_BATCH);
        }
    }
}
