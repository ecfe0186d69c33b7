package io.strata.bench.jmh;

import io.strata.Options;
import io.strata.StrataDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Puts to a store whose WAL is fsynced before each put returns: one writer, whose every put
 * waits for its own fsync, and 16, whose puts the commit pipeline gathers into one WAL append and
 * one fsync per group. Their throughputs' ratio is what group commit buys (db_bench's fillsync
 * with 1 and 16 threads). Unsynced puts show the WAL append alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class WalBenchmark {
    private final AtomicLong next = new AtomicLong();
    private final byte[] value = new byte[100];
    private Path dir;
    private StrataDb synced;
    private StrataDb unsynced;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("strata-jmh-wal");
        synced = StrataDb.open(dir.resolve("synced"), new Options().syncWal(true));
        unsynced = StrataDb.open(dir.resolve("unsynced"), new Options());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        synced.close();
        unsynced.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public void syncedPutOneWriter() {
        synced.put(Keys.userKey(next.incrementAndGet()), value);
    }

    @Benchmark
    @Threads(16)
    public void syncedPutSixteenWriters() {
        synced.put(Keys.userKey(next.incrementAndGet()), value);
    }

    @Benchmark
    @Threads(1)
    public void unsyncedPut() {
        unsynced.put(Keys.userKey(next.incrementAndGet()), value);
    }
}
