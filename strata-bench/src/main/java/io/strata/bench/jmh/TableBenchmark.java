package io.strata.bench.jmh;

import io.strata.cache.BlockCache;
import io.strata.fs.LocalFileSystem;
import io.strata.fs.WritableFile;
import io.strata.key.InternalKey;
import io.strata.sstable.Table;
import io.strata.sstable.TableBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One table of 100,000 keys (100-byte values, 4 KiB blocks, restarts every 16 keys, 10 bloom bits
 * per key) with all its blocks in the block cache: a point lookup of a present key (bloom probe,
 * index block seek, data block seek, value copy), and the bloom probe of a missing key alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TableBenchmark {
    private static final int KEYS = 100_000;

    private Path dir;
    private Table table;
    private byte[][] seekKeys;
    private byte[][] missing;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("strata-jmh-table");
        byte[][] sorted = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            sorted[i] = Keys.userKey(2L * i);
        }
        Path file = dir.resolve("000001.sst");
        try (WritableFile out = LocalFileSystem.INSTANCE.create(file)) {
            TableBuilder builder = new TableBuilder(out, "000001.sst", 4096, 16, 10);
            byte[] value = new byte[100];
            for (int i = 0; i < KEYS; i++) {
                builder.add(InternalKey.encode(sorted[i], i + 1, io.strata.key.ValueType.VALUE), value);
            }
            builder.finish();
        }
        table = Table.open(
                LocalFileSystem.INSTANCE.openReadable(file),
                "000001.sst",
                Files.size(file),
                1,
                new BlockCache(64 << 20));
        byte[][] shuffled = Keys.shuffled(KEYS);
        seekKeys = new byte[KEYS][];
        missing = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            long n = Long.parseLong(new String(shuffled[i], java.nio.charset.StandardCharsets.US_ASCII));
            seekKeys[i] = InternalKey.seekKey(Keys.userKey(2 * n), InternalKey.MAX_SEQUENCE);
            missing[i] = Keys.userKey(2 * n + 1);
        }
        for (byte[] k : seekKeys) {
            if (table.getValue(k, false) == null) {
                throw new IllegalStateException("a key the table holds was not found: " + Arrays.toString(k));
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        table.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Benchmark
    public byte[] get() {
        if (next == KEYS) {
            next = 0;
        }
        return table.getValue(seekKeys[next++], false);
    }

    @Benchmark
    public boolean bloomProbeOfMissingKey() {
        if (next == KEYS) {
            next = 0;
        }
        return table.mayContain(missing[next++]);
    }
}
