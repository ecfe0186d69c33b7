package io.strata.db;

import static io.strata.db.StoreFiles.b;
import static io.strata.db.StoreFiles.longProperty;
import static io.strata.db.StoreFiles.tableEntries;
import static io.strata.db.StoreFiles.tables;
import static io.strata.fs.FaultInjectionFileSystem.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.Options;
import io.strata.StrataDb;
import io.strata.TestOptions;
import io.strata.fs.FaultInjectionFileSystem;
import io.strata.fs.FaultInjectionFileSystem.Op;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writers and readers running while flushes are slow or frequent. */
class FlushConcurrencyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int WRITE_BUFFER = 64 * 1024;
    /**
     * More than MemTable counts per entry on top of key, trailer and value: the 8-byte link to the
     * key's older entry, two one-byte length prefixes, a skip-list node of 8 bytes plus 8 per level
     * (4/3 levels on average), and a slot of the node-by-key table (16 bytes, a quarter to over a
     * half of the slots empty: up to 43).
     */
    private static final int ENTRY_OVERHEAD = 8 + 32 + 43;

    @TempDir
    Path dir;

    private static byte[] key(long i) {
        return b(String.format("key-%010d", i));
    }

    /**
     * The SSTable writer is held up for as long as the test likes. Writes must go on into the
     * active memtable and the immutable queue without waiting for that I/O; only when the queue
     * is full do they stall, visibly; once the flush completes they resume.
     */
    @Test
    void writersNotBlockedByFlushIo() throws Exception {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        BlockingFault slowTable = new BlockingFault(Op.CREATE, named(".sst"), 1);
        fs.setFault(slowTable);
        byte[] value = new byte[100];
        Arrays.fill(value, (byte) 'v');
        int entryBytes = key(0).length + 8 + value.length + ENTRY_OVERHEAD;
        int total = 12 * WRITE_BUFFER / entryBytes;
        // No compaction: the test reads the first flushed table back as written.
        Options opts = TestOptions.withoutCompaction(
                new Options().fileSystem(fs).writeBufferSize(WRITE_BUFFER).maxImmutableMemtables(2));
        try (StrataDb db = StrataDb.open(dir, opts)) {
            AtomicLong done = new AtomicLong();
            AtomicReference<Throwable> writerError = new AtomicReference<>();
            Thread writer = new Thread(
                    () -> {
                        try {
                            for (int i = 0; i < total; i++) {
                                db.put(key(i), value);
                                done.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            writerError.set(e);
                        }
                    },
                    "stalling-writer");
            writer.start();

            await().atMost(PATIENCE).until(() -> slowTable.waiting() == 1);
            await().atMost(PATIENCE).until(() -> longProperty(db, "strata.write-stalls") > 0);
            long whileStuck = done.get();
            assertThat(slowTable.waiting()).as("the first flush is still stuck").isEqualTo(1);
            assertThat(db.getProperty("strata.num-immutable-memtables")).isEqualTo("2");
            assertThat(longProperty(db, "strata.memtable-bytes")).isGreaterThanOrEqualTo(3L * WRITE_BUFFER);
            assertThat(db.getProperty("strata.stats")).contains("memtable-queue-full 1 writes");
            // Stalled, not failing, and readers are not held up.
            await().during(Duration.ofMillis(300)).atMost(PATIENCE).until(() -> done.get() == whileStuck);
            assertThat(writerError.get()).isNull();
            assertThat(db.get(key(0))).isEqualTo(value);
            assertThat(db.get(key(whileStuck - 1))).isEqualTo(value);

            slowTable.release();
            writer.join(PATIENCE.toMillis());
            assertThat(writer.isAlive()).isFalse();
            assertThat(writerError.get()).isNull();
            assertThat(done.get()).isEqualTo(total);

            // Every put after the first memtable filled completed while its flush was stuck:
            // the whole second memtable and the whole third (active) one.
            long inFirstTable = tableEntries(dir, tables(dir).get(0)).size();
            assertThat(whileStuck - inFirstTable)
                    .as("puts completed while the flush was stuck")
                    .isGreaterThanOrEqualTo(2L * (WRITE_BUFFER / entryBytes));
            System.out.printf(
                    "writersNotBlockedByFlushIo: %d puts in the first memtable, %d more while its flush was stuck%n",
                    inFirstTable, whileStuck - inFirstTable);

            db.flush();
            for (int i = 0; i < total; i += 97) {
                assertThat(db.get(key(i))).isEqualTo(value);
            }
            assertThat(db.get(key(total - 1))).isEqualTo(value);
        }
    }

    /**
     * Readers look up keys whose write was acknowledged before they looked, while a writer
     * keeps swapping memtables and the flush thread keeps installing tables. A key may never
     * be missing in the moment its memtable turns into a table.
     */
    @Test
    void readersRacingFlushNeverMissAKey() throws Exception {
        long seed = 0x5EED_0008L;
        System.out.printf("readersRacingFlushNeverMissAKey: seed %d (readers use seed+1..seed+%d)%n", seed, 3);
        Options opts = new Options().writeBufferSize(WRITE_BUFFER);
        try (StrataDb db = StrataDb.open(dir, opts)) {
            AtomicLong highWater = new AtomicLong(-1);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<String> failure = new AtomicReference<>();
            AtomicLong reads = new AtomicLong();
            List<Thread> threads = new ArrayList<>();

            threads.add(new Thread(
                    () -> {
                        try {
                            for (long i = 0; !stop.get(); i++) {
                                db.put(key(i), valueOf(seed, i));
                                highWater.set(i);
                                if (i % 1024 == 0 && longProperty(db, "strata.flushes") >= 300) {
                                    break;
                                }
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, "writer failed: " + e);
                        } finally {
                            stop.set(true);
                        }
                    },
                    "racing-writer"));
            for (int r = 1; r <= 3; r++) {
                SplittableRandom random = new SplittableRandom(seed + r);
                threads.add(new Thread(
                        () -> {
                            try {
                                while (!stop.get()) {
                                    long high = highWater.get();
                                    if (high < 0) {
                                        Thread.onSpinWait();
                                        continue;
                                    }
                                    // Half the reads go to the newest keys, which are the ones in flight
                                    // between the active memtable, the queue and a new table.
                                    long i = random.nextBoolean()
                                            ? high - random.nextLong(Math.min(high + 1, 2000))
                                            : random.nextLong(high + 1);
                                    byte[] v = db.get(key(i));
                                    reads.incrementAndGet();
                                    if (!Arrays.equals(v, valueOf(seed, i))) {
                                        failure.compareAndSet(
                                                null,
                                                String.format(
                                                        "key %d (acknowledged high-water mark %d) read %s;"
                                                                + " %s immutable memtables, %s tables",
                                                        i,
                                                        high,
                                                        v == null ? "null" : "a wrong value",
                                                        db.getProperty("strata.num-immutable-memtables"),
                                                        db.getProperty("strata.flushes")));
                                        stop.set(true);
                                    }
                                }
                            } catch (Throwable e) {
                                failure.compareAndSet(null, "reader failed: " + e);
                                stop.set(true);
                            }
                        },
                        "racing-reader-" + r));
            }
            threads.forEach(Thread::start);
            long startTables = longProperty(db, "strata.flushes");
            // Run for a fixed time, or until the writer has made enough tables or anything failed.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (!stop.get() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join(PATIENCE.toMillis());
                assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
            }
            long flushes = longProperty(db, "strata.flushes") - startTables;
            System.out.printf(
                    "readersRacingFlushNeverMissAKey: %d puts, %d reads, %d flushes%n",
                    highWater.get() + 1, reads.get(), flushes);
            assertThat(failure.get()).isNull();
            assertThat(flushes).as("flushes while the readers ran").isGreaterThanOrEqualTo(10);
            assertThat(reads.get()).isGreaterThan(1000);
        }
    }

    /** A value that depends on the key's index and the seed, 20 to 199 bytes long. */
    private static byte[] valueOf(long seed, long i) {
        SplittableRandom r = new SplittableRandom(seed * 31 + i);
        byte[] v = new byte[20 + r.nextInt(180)];
        r.nextBytes(v);
        return v;
    }
}
