package io.strata.db;

import static io.strata.db.StoreFiles.b;
import static io.strata.db.StoreFiles.s;
import static io.strata.fs.FaultInjectionFileSystem.failNth;
import static io.strata.fs.FaultInjectionFileSystem.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.Options;
import io.strata.StrataDb;
import io.strata.StrataException;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import io.strata.fs.FaultInjectionFileSystem;
import io.strata.fs.FaultInjectionFileSystem.Op;
import io.strata.util.FileNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path tmp;

    private static Options small() {
        return new Options()
                .writeBufferSize(16 * 1024)
                .targetFileSize(32 * 1024)
                .maxBytesForLevelBase(64 * 1024);
    }

    private static byte[] key(long i) {
        return b(String.format("key-%08d", i));
    }

    private static byte[] value(long i) {
        return b(String.format("value-%08d-", i) + "v".repeat(50));
    }

    @Test
    void checkpointHoldsEveryEarlierWriteAndNothingLater() throws Exception {
        Path dir = tmp.resolve("db");
        Path cp = tmp.resolve("cp");
        try (StrataDb db = StrataDb.open(dir, small())) {
            for (int i = 0; i < 3000; i++) {
                db.put(key(i), value(i));
            }
            db.delete(key(7));
            db.checkpoint(cp);
            db.put(key(5000), value(5000));
            db.delete(key(8));

            // Tables are shared with the store, not copied.
            long linked = 0;
            for (long n : StoreFiles.tables(cp)) {
                Path ours = cp.resolve(FileNames.table(n));
                if (Files.exists(dir.resolve(FileNames.table(n)))) {
                    assertThat(Files.getAttribute(ours, "unix:ino"))
                            .isEqualTo(Files.getAttribute(dir.resolve(FileNames.table(n)), "unix:ino"));
                    linked++;
                }
            }
            assertThat(linked).as("tables linked").isPositive();
        }
        try (StrataDb copy = StrataDb.open(cp, small())) {
            for (int i = 0; i < 3000; i++) {
                assertThat(copy.get(key(i))).as("key %d", i).isEqualTo(i == 7 ? null : value(i));
            }
            assertThat(copy.get(key(5000))).isNull();
        }
        try (StrataDb db = StrataDb.open(dir, small())) {
            assertThat(db.get(key(8))).isNull();
            assertThat(db.get(key(5000))).isEqualTo(value(5000));
        }
    }

    /**
     * A writer adds keys 0, 1, 2, ... in order while checkpoints are taken: each checkpoint
     * must hold keys 0..k for some k at least the last one acknowledged before the call, and
     * nothing after k.
     */
    @Test
    void checkpointUnderConcurrentWritesOpensAsAConsistentPrefix() throws Exception {
        Path dir = tmp.resolve("db");
        AtomicLong acked = new AtomicLong(-1);
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (StrataDb db = StrataDb.open(dir, small())) {
            // Stopped by a flag: interrupting a thread inside file I/O closes the channel (NIO).
            Thread writer = new Thread(
                    () -> {
                        try {
                            for (long i = 0; !stop.get() && i < 200_000; i++) {
                                db.write(new WriteBatch().put(key(i), value(i)));
                                acked.set(i);
                            }
                        } catch (Throwable e) {
                            error.set(e);
                        }
                    },
                    "checkpoint-writer");
            writer.start();
            try {
                for (int c = 0; c < 8; c++) {
                    while (acked.get() < 2000L * (c + 1) && writer.isAlive()) {
                        Thread.onSpinWait();
                    }
                    long before = acked.get();
                    Path cp = tmp.resolve("cp" + c);
                    db.checkpoint(cp);
                    checkPrefix(cp, before);
                }
            } finally {
                stop.set(true);
                writer.join();
            }
            assertThat(error.get()).isNull();
            assertThat(Long.parseLong(db.getProperty("strata.compactions")))
                    .as("compactions ran")
                    .isPositive();
        }
    }

    private static void checkPrefix(Path cp, long mustHold) {
        try (StrataDb copy = StrataDb.open(cp, small());
                StrataIterator it = copy.iterator()) {
            long expected = 0;
            for (it.seekToFirst(); it.valid(); it.next()) {
                assertThat(s(it.key()))
                        .as("%s: key after %d", cp.getFileName(), expected - 1)
                        .isEqualTo(s(key(expected)));
                assertThat(it.value()).isEqualTo(value(expected));
                expected++;
            }
            assertThat(expected - 1)
                    .as("%s: last key held vs last acknowledged before the call", cp.getFileName())
                    .isGreaterThanOrEqualTo(mustHold);
        }
    }

    @Test
    void existingTargetIsRefusedAndNothingChanges() throws Exception {
        Path dir = tmp.resolve("db");
        Path cp = Files.createDirectories(tmp.resolve("cp"));
        try (StrataDb db = StrataDb.open(dir, small())) {
            db.put(key(1), value(1));
            assertThatThrownBy(() -> db.checkpoint(cp))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already exists");
            assertThat(cp.toFile().list()).isEmpty();
            assertThat(db.get(key(1))).isEqualTo(value(1));
        }
    }

    @Test
    void failedCheckpointLeavesNoTargetAndTheStoreWorks() throws Exception {
        failedCheckpointLeavesNothing(
                failNth(Op.SYNC, named("MANIFEST-").or(p -> p.toString().contains("cp.tmp")), 1));
    }

    /** Regression: the target's parent directory fsync, after the rename, fails. */
    @Test
    void aFailedFsyncOfTheTargetsParentLeavesNoTarget() throws Exception {
        failedCheckpointLeavesNothing(failNth(Op.SYNC_DIR, p -> p.equals(tmp), 1));
    }

    /**
     * A checkpoint meets {@code fault}: it fails saying it left nothing, leaves neither the
     * target nor its temporary directory, and the store goes on and checkpoints again.
     */
    private void failedCheckpointLeavesNothing(FaultInjectionFileSystem.Fault fault) throws Exception {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        Path dir = tmp.resolve("db");
        Path cp = tmp.resolve("cp");
        try (StrataDb db = StrataDb.open(dir, small().fileSystem(fs))) {
            for (int i = 0; i < 2000; i++) {
                db.put(key(i), value(i));
            }
            fs.setFault(fault);
            assertThatThrownBy(() -> db.checkpoint(cp))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("checkpoint to " + cp + " failed (nothing was left there)");
            fs.clearFault();
            assertThat(cp).doesNotExist();
            assertThat(tmp.resolve("cp.tmp")).doesNotExist();
            db.put(key(9999), value(9999));
            db.checkpoint(cp);
        }
        try (StrataDb copy = StrataDb.open(cp, small())) {
            assertThat(copy.get(key(1999))).isEqualTo(value(1999));
            assertThat(copy.get(key(9999))).isEqualTo(value(9999));
        }
    }
}
