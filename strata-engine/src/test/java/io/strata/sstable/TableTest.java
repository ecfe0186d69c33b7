package io.strata.sstable;

import static io.strata.sstable.SstTestSupport.bytes;
import static io.strata.sstable.SstTestSupport.describeKey;
import static io.strata.sstable.SstTestSupport.drain;
import static io.strata.sstable.SstTestSupport.ikey;
import static io.strata.sstable.SstTestSupport.show;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.fs.LocalFileSystem;
import io.strata.fs.WritableFile;
import io.strata.iterator.InternalIterator;
import io.strata.iterator.IteratorWalk;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableTest {
    @TempDir
    Path dir;

    private static String userKey(int i) {
        return String.format("user%07d", i);
    }

    /**
     * 20k entries: user keys with gaps between them (absent keys), 1 to 5 versions each with
     * distinct sequences, about a fifth of them deletions, values from empty to larger than a
     * small block.
     */
    private record Data(
            TreeMap<byte[], byte[]> entries, Map<String, TreeMap<Long, byte[]>> versions, List<String> absent) {}

    private static Data data(Random rnd, int n) {
        TreeMap<byte[], byte[]> entries = new TreeMap<>(InternalKey.COMPARATOR);
        Map<String, TreeMap<Long, byte[]>> versions = new HashMap<>();
        List<String> absent = new ArrayList<>();
        int i = 0;
        while (entries.size() < n) {
            int gap = rnd.nextInt(3);
            for (int g = 0; g < gap; g++) {
                absent.add(userKey(i++));
            }
            String user = userKey(i++);
            TreeMap<Long, byte[]> vs = new TreeMap<>();
            int count = Math.min(1 + rnd.nextInt(5), n - entries.size());
            while (vs.size() < count) {
                long seq =
                        rnd.nextInt(50) == 0 ? InternalKey.MAX_SEQUENCE - rnd.nextInt(2) : 1 + rnd.nextInt(1_000_000);
                int type = rnd.nextInt(5) == 0 ? ValueType.DELETION : ValueType.VALUE;
                byte[] value = new byte
                        [type == ValueType.DELETION
                                ? 0
                                : rnd.nextInt(100) == 0 ? 300 + rnd.nextInt(700) : rnd.nextInt(60)];
                rnd.nextBytes(value);
                byte[] key = InternalKey.encode(bytes(user), seq, type);
                if (!vs.containsKey(seq)) {
                    vs.put(seq, key);
                    entries.put(key, value);
                }
            }
            versions.put(user, vs);
        }
        absent.add(userKey(i));
        absent.add(userKey(i + 1000));
        absent.add("a");
        absent.add("");
        absent.add("user");
        absent.add("zzzz");
        return new Data(entries, versions, absent);
    }

    @ParameterizedTest(name = "block size {0}")
    @ValueSource(ints = {256, 4096})
    void roundTripsEntriesAndAnswersGetsAtEverySequence(int blockSize) throws IOException {
        long seed = SstTestSupport.seed("TableTest.roundTrip/" + blockSize, 0x7ab1e000L + blockSize);
        Random rnd = new Random(seed);
        Data d = data(rnd, 20_000);
        Path path = dir.resolve("000005.sst");
        long size = SstTestSupport.writeTable(path, d.entries(), blockSize, 16, 10);
        assertThat(Files.size(path)).isEqualTo(size);

        try (Table table = SstTestSupport.open(path, size)) {
            assertThat(table.name()).isEqualTo("000005.sst");
            try (InternalIterator it = table.iterator()) {
                it.seekToFirst();
                assertThat(drain(it)).as("seed %d", seed).containsExactlyElementsOf(show(d.entries()));
            }

            for (Map.Entry<String, TreeMap<Long, byte[]>> e : d.versions().entrySet()) {
                byte[] user = bytes(e.getKey());
                TreeMap<Long, byte[]> vs = e.getValue();
                assertThat(table.mayContain(user))
                        .as("%s is in the table", e.getKey())
                        .isTrue();
                List<Long> probes = new ArrayList<>();
                probes.add(InternalKey.MAX_SEQUENCE);
                for (long seq : vs.keySet()) {
                    probes.add(seq);
                    probes.add(seq - 1);
                    if (seq < InternalKey.MAX_SEQUENCE) {
                        probes.add(seq + 1);
                    }
                }
                for (long seq : probes) {
                    Table.Entry got = table.get(InternalKey.seekKey(user, seq));
                    Map.Entry<Long, byte[]> want = vs.floorEntry(seq);
                    String what = String.format("get(%s@%d), seed %d", e.getKey(), seq, seed);
                    if (want == null) {
                        assertThat(got).as(what + ": older than every version").isNull();
                    } else {
                        assertThat(got).as(what).isNotNull();
                        assertThat(show(got.key(), got.value()))
                                .as(what)
                                .isEqualTo(show(want.getValue(), d.entries().get(want.getValue())));
                    }
                }
            }

            int maybe = 0;
            List<byte[]> absent = new ArrayList<>();
            d.absent().forEach(a -> absent.add(bytes(a)));
            for (int i = 0; i < 5000; i++) {
                absent.add(bytes("other-key-" + i));
            }
            for (byte[] user : absent) {
                assertThat(table.get(InternalKey.seekKey(user, InternalKey.MAX_SEQUENCE)))
                        .as("get(%s), seed %d", new String(user, UTF_8), seed)
                        .isNull();
                if (table.mayContain(user)) {
                    maybe++;
                }
            }
            System.out.printf("TableTest: bloom says maybe for %d of %d absent keys%n", maybe, absent.size());
            assertThat(maybe).as("bloom false positives").isLessThan(absent.size() * 3 / 100);

            // Seeks through the two-level iterator land where a sorted map says, across blocks.
            List<byte[]> keys = new ArrayList<>(d.entries().keySet());
            try (InternalIterator it = table.iterator()) {
                for (int i = 0; i < 3000; i++) {
                    byte[] target = switch (rnd.nextInt(3)) {
                        case 0 -> keys.get(rnd.nextInt(keys.size()));
                        case 1 -> InternalKey.seekKey(bytes(userKey(rnd.nextInt(keys.size()))), rnd.nextInt(1_000_000));
                        default -> {
                            byte[] k = keys.get(rnd.nextInt(keys.size()));
                            yield InternalKey.encode(
                                    InternalKey.userKey(k), InternalKey.sequence(k), ValueType.DELETION);
                        }
                    };
                    it.seek(target);
                    byte[] want = d.entries().ceilingKey(target);
                    for (int step = 0;
                            step < 3;
                            step++, want = want == null ? null : d.entries().higherKey(want)) {
                        String what = String.format("seek(%s) + %d next, seed %d", describeKey(target), step, seed);
                        if (want == null) {
                            assertThat(it.valid()).as(what).isFalse();
                            break;
                        }
                        assertThat(it.valid()).as(what).isTrue();
                        assertThat(show(it.key(), it.value()))
                                .as(what)
                                .isEqualTo(show(want, d.entries().get(want)));
                        it.next();
                    }
                }
                it.seek(InternalKey.seekKey(bytes("zzzz"), 0));
                assertThat(it.valid()).isFalse();
                it.seek(InternalKey.seekKey(new byte[0], InternalKey.MAX_SEQUENCE));
                assertThat(it.key()).isEqualTo(d.entries().firstKey());
            }
        }
    }

    @Test
    void builderReportsSmallestAndLargestKeys() throws IOException {
        TreeMap<byte[], byte[]> m = new TreeMap<>(InternalKey.COMPARATOR);
        for (int i = 0; i < 100; i++) {
            m.put(ikey(userKey(i), 10, ValueType.VALUE), bytes("v" + i));
        }
        try (WritableFile f = LocalFileSystem.INSTANCE.create(dir.resolve("000001.sst"))) {
            TableBuilder b = new TableBuilder(f, "000001.sst", 4096, 16, 10);
            for (Map.Entry<byte[], byte[]> e : m.entrySet()) {
                b.add(e.getKey(), e.getValue());
            }
            assertThat(b.smallestKey()).isEqualTo(m.firstKey());
            assertThat(b.largestKey()).isEqualTo(m.lastKey());
            assertThat(b.finish()).isEqualTo(f.size());
        }
    }

    /** Small blocks, so that walks cross block boundaries (the two-level iterator) both ways. */
    @Test
    void walksBothWaysAcrossBlocks() throws IOException {
        long seed = SstTestSupport.seed("TableTest.walksBothWaysAcrossBlocks", 0x7ab1e_b0a7L);
        Random rnd = new Random(seed);
        NavigableMap<byte[], byte[]> entries = IteratorWalk.randomEntries(rnd, 3000);
        Path path = dir.resolve("000005.sst");
        long size = SstTestSupport.writeTable(path, entries, 256, 4, 10);
        assertThat(SstTestSupport.index(Files.readAllBytes(path))).hasSizeGreaterThan(50);
        try (Table t = SstTestSupport.open(path, size);
                InternalIterator it = t.iterator()) {
            IteratorWalk.check(it, entries, rnd, 20_000);
        }
    }

    @Test
    void singleEntryTable() throws IOException {
        TreeMap<byte[], byte[]> m = new TreeMap<>(InternalKey.COMPARATOR);
        m.put(ikey("only", 3, ValueType.VALUE), bytes("value"));
        Path path = dir.resolve("000002.sst");
        long size = SstTestSupport.writeTable(path, m, 4096, 16, 10);
        try (Table t = SstTestSupport.open(path, size);
                InternalIterator it = t.iterator()) {
            it.seekToFirst();
            assertThat(drain(it)).containsExactlyElementsOf(show(m));
            assertThat(t.get(InternalKey.seekKey(bytes("only"), 3)).value()).isEqualTo(bytes("value"));
            assertThat(t.get(InternalKey.seekKey(bytes("only"), 2))).isNull();
            assertThat(t.get(InternalKey.seekKey(bytes("onl"), 9))).isNull();
            assertThat(t.get(InternalKey.seekKey(bytes("only0"), 9))).isNull();
        }
    }

    @Test
    void withoutBloomFilterEveryKeyMayBeContainedAndGetsStillWork() throws IOException {
        TreeMap<byte[], byte[]> m = new TreeMap<>(InternalKey.COMPARATOR);
        for (int i = 0; i < 1000; i += 2) {
            m.put(ikey(userKey(i), 1, ValueType.VALUE), bytes("v" + i));
        }
        Path path = dir.resolve("000003.sst");
        long size = SstTestSupport.writeTable(path, m, 256, 16, 0);
        assertThat(SstTestSupport.index(Files.readAllBytes(path))).hasSizeGreaterThan(1);
        try (Table t = SstTestSupport.open(path, size)) {
            for (int i = 0; i < 1000; i++) {
                byte[] user = bytes(userKey(i));
                assertThat(t.mayContain(user)).isTrue();
                Table.Entry got = t.get(InternalKey.seekKey(user, 5));
                if (i % 2 == 0) {
                    assertThat(got.value()).isEqualTo(bytes("v" + i));
                } else {
                    assertThat(got).isNull();
                }
            }
        }
    }

    @Test
    void fileLongerThanRecordedSizeIsReadByTheRecordedSize() throws IOException {
        TreeMap<byte[], byte[]> m = new TreeMap<>(InternalKey.COMPARATOR);
        for (int i = 0; i < 100; i++) {
            m.put(ikey(userKey(i), 1, ValueType.VALUE), bytes("v" + i));
        }
        Path path = dir.resolve("000004.sst");
        long size = SstTestSupport.writeTable(path, m, 256, 16, 10);
        Files.write(path, new byte[100], java.nio.file.StandardOpenOption.APPEND);
        try (Table t = SstTestSupport.open(path, size);
                InternalIterator it = t.iterator()) {
            it.seekToFirst();
            assertThat(drain(it)).containsExactlyElementsOf(show(m));
        }
    }

    @Test
    void addingOutOfOrderIsRejected() throws IOException {
        try (WritableFile f = LocalFileSystem.INSTANCE.create(dir.resolve("000009.sst"))) {
            TableBuilder b = new TableBuilder(f, "000009.sst", 4096, 16, 10);
            b.add(ikey("b", 5, ValueType.VALUE), bytes("v"));
            assertThatThrownBy(() -> b.add(ikey("a", 5, ValueType.VALUE), bytes("v")))
                    .as("smaller user key")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("000009.sst");
            assertThatThrownBy(() -> b.add(ikey("b", 5, ValueType.VALUE), bytes("v")))
                    .as("the same key again")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.add(ikey("b", 6, ValueType.VALUE), bytes("v")))
                    .as("a newer version after an older one")
                    .isInstanceOf(IllegalArgumentException.class);
            b.add(ikey("b", 5, ValueType.DELETION), new byte[0]);
            b.add(ikey("b", 4, ValueType.VALUE), bytes("v"));
            b.add(ikey("c", 9, ValueType.VALUE), bytes("v"));
        }
    }

    @Test
    void finishingAnEmptyTableIsRejected() throws IOException {
        try (WritableFile f = LocalFileSystem.INSTANCE.create(dir.resolve("000010.sst"))) {
            TableBuilder b = new TableBuilder(f, "000010.sst", 4096, 16, 10);
            assertThatThrownBy(b::finish)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("000010.sst");
            assertThat(f.size()).isZero();
        }
    }

    @Test
    void addingAfterFinishIsRejected() throws IOException {
        try (WritableFile f = LocalFileSystem.INSTANCE.create(dir.resolve("000011.sst"))) {
            TableBuilder b = new TableBuilder(f, "000011.sst", 4096, 16, 10);
            b.add(ikey("a", 1, ValueType.VALUE), bytes("v"));
            b.finish();
            assertThatThrownBy(() -> b.add(ikey("b", 1, ValueType.VALUE), bytes("v")))
                    .isInstanceOf(IllegalStateException.class);
            long size = f.size();
            assertThatThrownBy(b::finish)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("finish called twice");
            assertThat(f.size()).as("a second finish appends nothing").isEqualTo(size);
        }
    }
}
