package io.strata.bench.jmh;

import io.strata.key.InternalKey;
import io.strata.memtable.MemTable;
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
 * Memtable insert of random keys (100-byte values) into a table that grows to 100,000 entries and
 * is then replaced, and lookup of present keys in a full one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MemTableBenchmark {
    private static final int KEYS = 100_000;

    private byte[][] internalKeys;
    private byte[][] seekKeys;
    private final byte[] value = new byte[100];
    private MemTable filling;
    private int next;
    private MemTable full;

    @Setup(Level.Trial)
    public void setUp() {
        byte[][] userKeys = Keys.shuffled(KEYS);
        internalKeys = Keys.internal(userKeys);
        seekKeys = new byte[KEYS][];
        full = new MemTable(1);
        for (int i = 0; i < KEYS; i++) {
            full.add(internalKeys[i], value);
            seekKeys[i] = InternalKey.seekKey(userKeys[i], InternalKey.MAX_SEQUENCE);
        }
        filling = new MemTable(2);
    }

    @Benchmark
    public MemTable insert() {
        if (next == KEYS) {
            filling = new MemTable(2);
            next = 0;
        }
        filling.add(internalKeys[next++], value);
        return filling;
    }

    @Benchmark
    public Object lookup() {
        if (next >= KEYS) {
            next = 0;
        }
        return full.get(seekKeys[next++]);
    }
}
