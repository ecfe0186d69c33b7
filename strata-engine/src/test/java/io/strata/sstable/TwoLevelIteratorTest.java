package io.strata.sstable;

import static io.strata.sstable.SstTestSupport.bytes;
import static io.strata.sstable.SstTestSupport.describeKey;
import static io.strata.sstable.SstTestSupport.drain;
import static io.strata.sstable.SstTestSupport.ikey;
import static io.strata.sstable.SstTestSupport.show;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.iterator.InternalIterator;
import io.strata.iterator.TwoLevelIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.util.Coding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwoLevelIteratorTest {
    @TempDir
    Path dir;

    /** Inner blocks, some empty, behind an index block whose values are block numbers. */
    private static final class Fixture {
        final List<Block> blocks = new ArrayList<>();
        final TreeMap<byte[], byte[]> all = new TreeMap<>(InternalKey.COMPARATOR);
        Block index;
        int open;
        int maxOpen;
        int opened;

        Fixture(int numBlocks, Set<Integer> empty) {
            BlockBuilder ib = new BlockBuilder(1);
            for (int b = 0; b < numBlocks; b++) {
                BlockBuilder bb = new BlockBuilder(2);
                if (!empty.contains(b)) {
                    for (int j = 0; j < 3; j++) {
                        byte[] k = ikey(String.format("k%03d-%d", b, j), 1, ValueType.VALUE);
                        byte[] v = bytes(b + "/" + j);
                        bb.add(k, v);
                        all.put(k, v);
                    }
                }
                byte[] contents = bb.finish();
                blocks.add(new Block(contents, contents.length, "block " + b));
                // "k<b>-~" sorts after every key of block b and before every key of block b+1.
                byte[] handle = new byte[4];
                Coding.putFixed32(handle, 0, b);
                ib.add(ikey(String.format("k%03d-~", b), 0, ValueType.DELETION), handle);
            }
            byte[] contents = ib.finish();
            index = new Block(contents, contents.length, "index");
        }

        TwoLevelIterator iterator() {
            return new TwoLevelIterator(index.iterator(), handle -> {
                InternalIterator inner =
                        blocks.get(Coding.getFixed32(handle, 0)).iterator();
                open++;
                opened++;
                maxOpen = Math.max(maxOpen, open);
                return new Counting(inner);
            });
        }

        private final class Counting implements InternalIterator {
            private final InternalIterator in;
            private boolean closed;

            Counting(InternalIterator in) {
                this.in = in;
            }

            @Override
            public boolean valid() {
                return in.valid();
            }

            @Override
            public void seekToFirst() {
                in.seekToFirst();
            }

            @Override
            public void seek(byte[] target) {
                in.seek(target);
            }

            @Override
            public void seekToLast() {
                in.seekToLast();
            }

            @Override
            public void next() {
                in.next();
            }

            @Override
            public void prev() {
                in.prev();
            }

            @Override
            public byte[] key() {
                return in.key();
            }

            @Override
            public byte[] value() {
                return in.value();
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    open--;
                }
                in.close();
            }
        }
    }

    @Test
    void skipsEmptyBlocksAtTheStartMiddleAndEnd() {
        Fixture f = new Fixture(12, Set.of(0, 1, 4, 6, 7, 10, 11));
        try (TwoLevelIterator it = f.iterator()) {
            it.seekToFirst();
            assertThat(drain(it)).containsExactlyElementsOf(show(f.all));
            assertThat(it.valid()).isFalse();
        }
        assertThat(f.maxOpen).as("one inner iterator open at a time").isEqualTo(1);
        assertThat(f.open).as("inner iterators closed").isZero();
    }

    @Test
    void seekLandsOnTheFirstKeyAtOrAfterTheTargetSkippingEmptyBlocks() {
        Fixture f = new Fixture(12, Set.of(0, 1, 4, 6, 7, 10, 11));
        List<byte[]> targets = new ArrayList<>(f.all.keySet());
        for (int b = 0; b < 13; b++) {
            targets.add(ikey(String.format("k%03d", b), 5, ValueType.VALUE)); // before block b
            targets.add(ikey(String.format("k%03d-1", b), 0, ValueType.DELETION)); // inside block b
            targets.add(ikey(String.format("k%03d-5", b), 9, ValueType.VALUE)); // after block b's keys
            targets.add(ikey(String.format("k%03d-~", b), 0, ValueType.DELETION)); // block b's index key
        }
        targets.add(ikey("", InternalKey.MAX_SEQUENCE, ValueType.VALUE));
        targets.add(ikey("z", 1, ValueType.VALUE));
        try (TwoLevelIterator it = f.iterator()) {
            for (byte[] target : targets) {
                it.seek(target);
                byte[] want = f.all.ceilingKey(target);
                if (want == null) {
                    assertThat(it.valid()).as("seek(%s)", describeKey(target)).isFalse();
                } else {
                    assertThat(it.valid()).as("seek(%s)", describeKey(target)).isTrue();
                    assertThat(describeKey(it.key()))
                            .as("seek(%s)", describeKey(target))
                            .isEqualTo(describeKey(want));
                    assertThat(drain(it)).containsExactlyElementsOf(show(f.all.tailMap(want, true)));
                }
            }
        }
        assertThat(f.maxOpen).isEqualTo(1);
        assertThat(f.open).isZero();
    }

    @Test
    void allBlocksEmptyOrNoBlocksAtAll() {
        for (Fixture f : List.of(new Fixture(5, Set.of(0, 1, 2, 3, 4)), new Fixture(0, Set.of()))) {
            try (TwoLevelIterator it = f.iterator()) {
                it.seekToFirst();
                assertThat(it.valid()).isFalse();
                it.seek(ikey("k001", 1, ValueType.VALUE));
                assertThat(it.valid()).isFalse();
            }
            assertThat(f.open).isZero();
        }
    }

    @Test
    void closeReleasesTheOpenInnerIterator() {
        Fixture f = new Fixture(4, Set.of());
        TwoLevelIterator it = f.iterator();
        it.seek(ikey("k002-1", 1, ValueType.VALUE));
        assertThat(f.open).isEqualTo(1);
        it.close();
        it.close();
        assertThat(f.open).isZero();
    }

    /** A table whose every data block holds a single entry: every next() and seek crosses blocks. */
    @Test
    void seekAndNextAcrossBlockBoundariesOfARealTable() throws IOException {
        TreeMap<byte[], byte[]> m = new TreeMap<>(InternalKey.COMPARATOR);
        for (int i = 0; i < 300; i++) {
            for (int v = 0; v < 1 + i % 3; v++) {
                m.put(
                        ikey(String.format("key%04d", i * 2), 100 - v, v == 2 ? ValueType.DELETION : ValueType.VALUE),
                        bytes("value-" + i + "-" + v));
            }
        }
        Path path = dir.resolve("000008.sst");
        long size = SstTestSupport.writeTable(path, m, 1, 16, 10);
        assertThat(SstTestSupport.index(Files.readAllBytes(path)))
                .as("one block per entry")
                .hasSize(m.size());
        try (Table t = SstTestSupport.open(path, size);
                InternalIterator it = t.iterator()) {
            it.seekToFirst();
            assertThat(drain(it)).containsExactlyElementsOf(show(m));
            for (int i = -1; i < 602; i++) {
                for (long seq : new long[] {InternalKey.MAX_SEQUENCE, 100, 99, 98, 0}) {
                    byte[] target = InternalKey.seekKey(bytes(String.format("key%04d", i)), seq);
                    it.seek(target);
                    byte[] want = m.ceilingKey(target);
                    for (int step = 0; step < 4; step++, want = want == null ? null : m.higherKey(want)) {
                        if (want == null) {
                            assertThat(it.valid())
                                    .as("seek(%s)+%d", describeKey(target), step)
                                    .isFalse();
                            break;
                        }
                        assertThat(show(it.key(), it.value()))
                                .as("seek(%s)+%d", describeKey(target), step)
                                .isEqualTo(show(want, m.get(want)));
                        it.next();
                    }
                }
            }
        }
    }
}
