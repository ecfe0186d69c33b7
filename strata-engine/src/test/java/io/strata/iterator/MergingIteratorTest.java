package io.strata.iterator;

import io.strata.memtable.MemTable;
import io.strata.sstable.SstTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MergingIteratorTest {
    /**
     * The entries dealt at random to {@code children} sources (some of them empty, some holding
     * runs of neighbouring keys), merged: walks both ways, with changes of direction everywhere,
     * must see the sorted whole.
     */
    @ParameterizedTest(name = "{0} children")
    @ValueSource(ints = {1, 2, 3, 8})
    void walksBothWaysLikeTheSortedUnion(int children) {
        long seed = SstTestSupport.seed("MergingIteratorTest.walksBothWaysLikeTheSortedUnion", 0x3e6e_0000L + children);
        Random rnd = new Random(seed);
        for (int n : new int[] {0, 1, 5, 2000}) {
            NavigableMap<byte[], byte[]> entries = IteratorWalk.randomEntries(rnd, n);
            List<MemTable> sources = new ArrayList<>();
            for (int i = 0; i < children; i++) {
                sources.add(new MemTable(i));
            }
            int child = 0;
            for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
                if (rnd.nextInt(4) == 0) {
                    child = rnd.nextInt(children);
                }
                sources.get(child).add(e.getKey(), e.getValue());
            }
            List<InternalIterator> its = new ArrayList<>();
            sources.forEach(m -> its.add(m.iterator()));
            try (InternalIterator merged = new MergingIterator(its)) {
                IteratorWalk.check(merged, entries, rnd, 6000);
            }
        }
    }
}
