package io.strata.compaction;

import io.strata.CompactionFilter;
import io.strata.datadriven.DataDriven;
import io.strata.datadriven.Specs;
import io.strata.datadriven.TestCase;
import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.version.FileMetaData;
import io.strata.version.Version;
import io.strata.version.VersionEdit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The drop rules of {@link CompactionIterator}, case by case from
 * {@code testdata/compaction_iterator}: entries in, the entries a compaction keeps out.
 */
class CompactionIteratorTest {
    /** The level the compaction writes to; {@code below=} files go two levels further down. */
    private static final int OUTPUT_LEVEL = 2;

    @TestFactory
    Stream<DynamicTest> compactionIterator() {
        return DataDriven.tests("compaction_iterator", "compact", CompactionIteratorTest::run);
    }

    private static String run(TestCase c) {
        long lastSequence = Long.parseLong(c.arg("last-seq"));
        long[] snapshots = c.has("snapshots")
                ? Arrays.stream(c.arg("snapshots").split(",", -1))
                        .mapToLong(Long::parseLong)
                        .sorted()
                        .toArray()
                : new long[0];
        // As the engine passes them: the oldest live snapshot (else the last sequence), the newest (else -1).
        long smallest = snapshots.length > 0 ? snapshots[0] : lastSequence;
        long newest = snapshots.length > 0 ? snapshots[snapshots.length - 1] : -1;
        List<String> asked = new ArrayList<>();
        CompactionFilter filter = null;
        if (c.has("filter")) {
            byte[] dead = c.arg("filter").getBytes(StandardCharsets.UTF_8);
            filter = (key, value) -> {
                asked.add(Specs.userKey(key) + "=" + Specs.userKey(value));
                return Arrays.equals(value, dead);
            };
        }
        List<byte[][]> entries = new ArrayList<>();
        for (String line : c.input()) {
            int eq = line.indexOf('=');
            byte[] key = Specs.key(eq < 0 ? line.strip() : line.substring(0, eq).strip());
            byte[] value = eq < 0 ? new byte[0] : line.substring(eq + 1).getBytes(StandardCharsets.UTF_8);
            entries.add(new byte[][] {key, value});
        }
        entries.sort((a, b) -> InternalKey.compare(a[0], b[0]));
        Compaction compaction =
                new Compaction(below(c.arg("below", "")), 1, OUTPUT_LEVEL, List.of(), List.of(), List.of(), 4 * 1024);
        StringBuilder out = new StringBuilder();
        try (CompactionIterator it =
                new CompactionIterator(new ListIterator(entries), smallest, newest, compaction, filter)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                out.append(Specs.key(it.key()));
                if (InternalKey.type(it.key()) == ValueType.VALUE) {
                    out.append('=').append(Specs.userKey(it.value()));
                } else if (it.value().length > 0) {
                    throw new AssertionError("a tombstone with a value: " + Specs.key(it.key()));
                }
                out.append('\n');
            }
            out.append("dropped ").append(it.dropped()).append('\n');
        }
        if (filter != null) {
            out.append("filter asked: ").append(asked.isEmpty() ? "nothing" : String.join(" ", asked));
        }
        return out.toString();
    }

    /** A version whose level below the output holds a file for each user-key range {@code a-c} of the list. */
    private static Version below(String ranges) {
        VersionEdit edit = new VersionEdit();
        long number = 1000;
        for (String range : ranges.isEmpty() ? new String[0] : ranges.split(",", -1)) {
            String[] ends = range.split("-", -1);
            edit.addFile(
                    OUTPUT_LEVEL + 2,
                    new FileMetaData(
                            number++,
                            1024,
                            InternalKey.encode(Specs.userKey(ends[0]), 1, ValueType.VALUE),
                            InternalKey.encode(Specs.userKey(ends[ends.length - 1]), 1, ValueType.VALUE)));
        }
        return Version.empty().apply(edit);
    }

    /** Entries of a sorted list, as an input iterator. */
    private static final class ListIterator implements InternalIterator {
        private final List<byte[][]> entries;
        private int pos;

        ListIterator(List<byte[][]> entries) {
            this.entries = entries;
            this.pos = entries.size();
        }

        @Override
        public boolean valid() {
            return pos >= 0 && pos < entries.size();
        }

        @Override
        public void seekToFirst() {
            pos = 0;
        }

        @Override
        public void seek(byte[] target) {
            throw new UnsupportedOperationException("a compaction only reads from the first entry");
        }

        @Override
        public void seekToLast() {
            pos = entries.size() - 1;
        }

        @Override
        public void next() {
            pos++;
        }

        @Override
        public void prev() {
            pos--;
        }

        @Override
        public byte[] key() {
            return entries.get(pos)[0];
        }

        @Override
        public byte[] value() {
            return entries.get(pos)[1];
        }

        @Override
        public void close() {}
    }
}
