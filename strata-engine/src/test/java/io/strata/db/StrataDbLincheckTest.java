package io.strata.db;

import io.strata.LincheckRuns;
import io.strata.Options;
import io.strata.ReadOptions;
import io.strata.SequentialMap;
import io.strata.Snapshot;
import io.strata.StrataDb;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linearizability of {@link StrataDb}'s operations over a key space of three keys and four
 * values, stress tested by Lincheck against a sorted map ({@link SequentialMap}): put, get,
 * delete, a write batch that touches every key (so that seeing part of it is visible), a full
 * scan, and a snapshot read
 * (gets and a scan through one snapshot, which must agree), while flushes and compactions run
 * within the scenario: a value fills a quarter of the 4 KiB write buffer, so every few writes
 * swap the memtable and a flush runs on the flush thread; {@code flush} and {@code compactRange}
 * are operations too.
 *
 * <p>Opening a store per scenario would cost an open and a close (with its fsyncs and thread
 * joins) per invocation, so the scenarios share one store and each test instance (Lincheck
 * makes one per invocation) works under its own 8-byte key prefix: a fresh, empty map, while
 * the store underneath keeps growing, flushing and compacting as a real one does.
 *
 * <p>Not model checked: Lincheck 3.7 cannot run file I/O through NIO channels in its managed
 * threads, nor track the store's own threads (docs/TESTING.md).
 */
@Param(name = "key", gen = IntGen.class, conf = "0:2")
@Param(name = "value", gen = IntGen.class, conf = "0:3")
public class StrataDbLincheckTest {
    private static final int KEYS = 3;
    /** A value fills a quarter of the write buffer, so memtable swaps and flushes happen within a scenario. */
    private static final int VALUE_BYTES = 1000;
    /** A get that finds a value of the wrong length or with mixed bytes returns this; the specification never does. */
    private static final int TORN_VALUE = -1;

    private static final AtomicLong INSTANCES = new AtomicLong();

    @TempDir
    static Path tmp;

    private static StrataDb db;

    private final long prefix = INSTANCES.incrementAndGet();

    @BeforeAll
    static void open() {
        db = StrataDb.open(
                tmp.resolve("db"),
                new Options()
                        .writeBufferSize(4096)
                        .maxImmutableMemtables(2)
                        .level0FileNumCompactionTrigger(2)
                        .compactionThreads(2));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private byte[] key(int key) {
        return ByteBuffer.allocate(9).putLong(prefix).put((byte) key).array();
    }

    private static byte[] value(int value) {
        byte[] v = new byte[VALUE_BYTES];
        Arrays.fill(v, (byte) value);
        return v;
    }

    /** The value a stored array stands for, or {@link #TORN_VALUE} if it is not one {@link #value} made. */
    private static Integer decode(byte[] v) {
        if (v == null) {
            return null;
        }
        return Arrays.equals(v, value(v.length == 0 ? TORN_VALUE : v[0])) ? (int) v[0] : TORN_VALUE;
    }

    @Operation
    public void put(@Param(name = "key") int key, @Param(name = "value") int value) {
        db.put(key(key), value(value));
    }

    @Operation
    public void delete(@Param(name = "key") int key) {
        db.delete(key(key));
    }

    /** Atomically: every key but {@code deleted} takes {@code value}, {@code deleted} is removed. */
    @Operation
    public void batch(@Param(name = "value") int value, @Param(name = "key") int deleted) {
        WriteBatch b = new WriteBatch();
        for (int k = 0; k < KEYS; k++) {
            if (k == deleted) {
                b.delete(key(k));
            } else {
                b.put(key(k), value(value));
            }
        }
        db.write(b);
    }

    @Operation
    public Integer get(@Param(name = "key") int key) {
        return decode(db.get(key(key)));
    }

    @Operation
    public String scan() {
        return scan(new ReadOptions());
    }

    /**
     * Gets of every key and a scan, all through one snapshot: as one atomic read, they must
     * agree with each other and with some point of the history; a disagreement is returned as
     * a result the specification never gives.
     */
    @Operation
    public String snapshotRead() {
        try (Snapshot s = db.snapshot()) {
            ReadOptions at = new ReadOptions().snapshot(s);
            StringBuilder gets = new StringBuilder();
            for (int k = 0; k < KEYS; k++) {
                Integer v = decode(db.get(key(k), at));
                if (v != null) {
                    gets.append(k).append('=').append(v).append(' ');
                }
            }
            String scan = scan(at);
            return scan.contentEquals(gets) ? scan : "gets " + gets + "but scan " + scan;
        }
    }

    /** Flushes every memtable (of the whole store) while the other threads read and write. */
    @Operation
    public void flush() {
        db.flush();
    }

    /** Compacts this instance's keys (and, through overlapping files, others) down the levels. */
    @Operation
    public void compactRange() {
        db.compactRange(key(0), key(KEYS - 1));
    }

    /** This instance's live keys and values, "k=v " in key order. */
    private String scan(ReadOptions options) {
        StringBuilder out = new StringBuilder();
        options.lowerBound(key(0)).upperBound(key(KEYS));
        try (StrataIterator it = db.iterator(options)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                out.append(it.key()[8]).append('=').append(decode(it.value())).append(' ');
            }
        }
        return out.toString();
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(LincheckRuns.iterations(8))
                .invocationsPerIteration(50)
                .threads(3)
                .actorsPerThread(3)
                .sequentialSpecification(Specification.class)
                .check(getClass());
    }

    /** The specification: a sorted map; flushes and compactions change nothing a read sees. */
    public static class Specification extends SequentialMap {
        public void batch(int value, int deleted) {
            for (int k = 0; k < KEYS; k++) {
                if (k == deleted) {
                    map.remove(k);
                } else {
                    map.put(k, value);
                }
            }
        }

        /** A snapshot read is one atomic read of everything. */
        public String snapshotRead() {
            return scan();
        }

        public void flush() {}

        public void compactRange() {}
    }
}
