package io.strata.bench.jmh;

import io.strata.key.InternalKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The internal-key comparison every seek and merge runs: neighbouring keys (a long shared prefix)
 * and equal user keys.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InternalKeyBenchmark {
    private static final int KEYS = 1024;

    private byte[][] keys;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        keys = Keys.internal(Keys.shuffled(KEYS));
    }

    @Benchmark
    public int compareDifferentUserKeys() {
        int i = next++ & (KEYS - 1);
        return InternalKey.compare(keys[i], keys[(i + 1) & (KEYS - 1)]);
    }

    @Benchmark
    public int compareSameUserKey() {
        int i = next++ & (KEYS - 1);
        return InternalKey.compare(keys[i], keys[i]);
    }
}
