package io.strata.memtable;

import io.strata.LincheckRuns;
import io.strata.SequentialMap;
import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link MemTable} as the engine uses it: one writer at a time (the
 * group-commit leader) adds entries under consecutive sequences and then publishes the
 * sequence (a volatile write, as {@code DbImpl.lastSequence}); readers on other threads read
 * at the published sequence, by point lookup or by a full iteration that keeps the newest
 * visible version of each key. Checked against a {@link SequentialMap} of the same three keys, both
 * by model checking (every interleaving Lincheck explores at shared-memory accesses) and by
 * stress. The writes share a non-parallel group: two concurrent adders would break the
 * engine's contract (sequences published out of order), not the memtable's.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:2")
@Param(name = "value", gen = IntGen.class, conf = "0:3")
public class MemTableLincheckTest {
    private final MemTable table = new MemTable(1);
    /** The newest sequence whose entry is in the table: written by the single writer after its add. */
    private volatile long published;

    @Operation(nonParallelGroup = "writer")
    public void put(@Param(name = "key") int key, @Param(name = "value") int value) {
        add(key, ValueType.VALUE, new byte[] {(byte) value});
    }

    @Operation(nonParallelGroup = "writer")
    public void delete(@Param(name = "key") int key) {
        add(key, ValueType.DELETION, new byte[0]);
    }

    private void add(int key, int type, byte[] value) {
        long sequence = published + 1;
        table.add(InternalKey.encode(new byte[] {(byte) key}, sequence, type), value);
        published = sequence;
    }

    @Operation
    public Integer get(@Param(name = "key") int key) {
        var e = table.get(InternalKey.seekKey(new byte[] {(byte) key}, published));
        return e == null || InternalKey.type(e.getKey()) == ValueType.DELETION ? null : (int) e.getValue()[0];
    }

    /** Every live key and value at the published sequence, as "k=v" in key order. */
    @Operation
    public String scan() {
        long sequence = published;
        StringBuilder out = new StringBuilder();
        byte[] lastUserKey = null;
        InternalIterator it = table.iterator();
        for (it.seekToFirst(); it.valid(); it.next()) {
            byte[] ikey = it.key();
            if (InternalKey.sequence(ikey) > sequence
                    || (lastUserKey != null && InternalKey.sameUserKey(ikey, lastUserKey))) {
                continue; // not visible yet, or an older version of a key already decided
            }
            lastUserKey = ikey;
            if (InternalKey.type(ikey) == ValueType.VALUE) {
                out.append(InternalKey.userKey(ikey)[0])
                        .append('=')
                        .append(it.value()[0])
                        .append(' ');
            }
        }
        return out.toString();
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(LincheckRuns.iterations(8))
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(3)
                .sequentialSpecification(SequentialMap.class)
                .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(LincheckRuns.iterations(8))
                .invocationsPerIteration(1000)
                .threads(3)
                .actorsPerThread(3)
                .sequentialSpecification(SequentialMap.class)
                .check(getClass());
    }
}
