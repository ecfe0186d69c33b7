package io.strata.sstable;

import static io.strata.sstable.SstTestSupport.bytes;
import static io.strata.sstable.SstTestSupport.drain;
import static io.strata.sstable.SstTestSupport.ikey;
import static io.strata.sstable.SstTestSupport.show;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.strata.CorruptionException;
import io.strata.fuzz.FuzzSupport.MemReadableFile;
import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every byte of a table is covered by a check; damage is reported naming the file (and block). */
class TableCorruptionTest {
    private static final String NAME = "000007.sst";

    @TempDir
    Path dir;

    private Path path;
    private long size;
    private final TreeMap<byte[], byte[]> entries = new TreeMap<>(InternalKey.COMPARATOR);
    private List<SstTestSupport.IndexEntry> index;

    @BeforeEach
    void writeTable() throws IOException {
        for (int i = 0; i < 400; i++) {
            entries.put(ikey(String.format("key%05d", i), 10, ValueType.VALUE), bytes("value-" + i));
            if (i % 7 == 0) {
                entries.put(ikey(String.format("key%05d", i), 5, ValueType.DELETION), new byte[0]);
            }
        }
        path = dir.resolve(NAME);
        size = SstTestSupport.writeTable(path, entries, 256, 16, 10);
        index = SstTestSupport.index(Files.readAllBytes(path));
        assertThat(index).as("data blocks").hasSizeGreaterThan(10);
    }

    private void flip(long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x10));
            b.rewind();
            ch.write(b, offset);
        }
    }

    private void truncate(long newSize) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.truncate(newSize);
        }
    }

    private Footer footer() throws IOException {
        byte[] file = Files.readAllBytes(path);
        return Footer.decode(
                java.util.Arrays.copyOfRange(file, file.length - Footer.LENGTH, file.length),
                file.length - Footer.LENGTH,
                NAME);
    }

    /** A user key whose entries all lie in data block {@code b}. */
    private byte[] keyInBlock(int b) {
        byte[] last = index.get(b).lastKey();
        return InternalKey.seekKey(InternalKey.userKey(last), InternalKey.sequence(last));
    }

    @Test
    void flippedByteInADataBlockFailsReadsOfThatBlockWithFileAndOffset() throws IOException {
        int victim = index.size() / 2;
        BlockHandle h = index.get(victim).handle();
        flip(h.offset() + h.size() / 2);

        try (Table table = SstTestSupport.open(path, size)) {
            String offset = "offset " + h.offset();
            assertThatThrownBy(() -> table.get(keyInBlock(victim)))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(NAME)
                    .hasMessageContaining(offset);
            // Other blocks are still readable.
            assertThat(table.get(keyInBlock(victim - 1))).isNotNull();
            assertThat(table.get(keyInBlock(victim + 1))).isNotNull();

            try (InternalIterator it = table.iterator()) {
                assertThatThrownBy(() -> {
                            for (it.seekToFirst(); it.valid(); it.next()) {
                                it.key();
                            }
                        })
                        .isInstanceOf(CorruptionException.class)
                        .hasMessageContaining(NAME)
                        .hasMessageContaining(offset);
            }
            try (InternalIterator it = table.iterator()) {
                assertThatThrownBy(() -> it.seek(keyInBlock(victim)))
                        .isInstanceOf(CorruptionException.class)
                        .hasMessageContaining(offset);
            }
        }
    }

    @Test
    void flippedByteInADataBlockTrailerIsDetected() throws IOException {
        BlockHandle h = index.get(3).handle();
        for (int i = 0; i < BlockTrailer.LENGTH; i++) {
            flip(h.offset() + h.size() + i);
            try (Table table = SstTestSupport.open(path, size)) {
                assertThatThrownBy(() -> table.get(keyInBlock(3)))
                        .as("trailer byte %d", i)
                        .isInstanceOf(CorruptionException.class)
                        .hasMessageContaining(NAME)
                        .hasMessageContaining("offset " + h.offset());
            }
            flip(h.offset() + h.size() + i);
        }
    }

    @Test
    void flippedByteInTheFooterFailsOpen() throws IOException {
        for (long off = size - Footer.LENGTH; off < size; off++) {
            flip(off);
            assertThatThrownBy(() -> SstTestSupport.open(path, size).close())
                    .as("footer byte %d", off)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(NAME);
            flip(off);
        }
        SstTestSupport.open(path, size).close();
    }

    @Test
    void flippedByteInTheIndexBlockFailsOpen() throws IOException {
        BlockHandle h = footer().index();
        for (long off :
                new long[] {h.offset(), h.offset() + h.size() / 2, h.offset() + h.size() - 1, h.offset() + h.size() + 2
                }) {
            flip(off);
            assertThatThrownBy(() -> SstTestSupport.open(path, size).close())
                    .as("index byte at %d", off)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(NAME)
                    .hasMessageContaining("offset " + h.offset());
            flip(off);
        }
    }

    @Test
    void flippedByteInTheFilterBlockFailsOpen() throws IOException {
        BlockHandle h = footer().filter();
        flip(h.offset() + h.size() / 2);
        assertThatThrownBy(() -> SstTestSupport.open(path, size).close())
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(NAME)
                .hasMessageContaining("offset " + h.offset());
    }

    @Test
    void truncatedFileFailsOpenNamingTheFile() throws IOException {
        byte[] original = Files.readAllBytes(path);
        for (long cut : new long[] {size - 1, size - Footer.LENGTH, size / 2, Footer.LENGTH - 1, 0}) {
            Files.write(path, original);
            truncate(cut);
            // The MANIFEST recorded the full size.
            assertThatThrownBy(() -> SstTestSupport.open(path, size).close())
                    .as("cut to %d", cut)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(NAME)
                    .hasMessageContaining("truncated");
            // Even taking the file's own size, what is left is not a table.
            assertThatThrownBy(() -> SstTestSupport.open(path, cut).close())
                    .as("cut to %d, own size", cut)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(NAME);
        }
    }

    /**
     * Every single-byte flip anywhere in the file is caught: by open, or by reading the block it
     * lies in. Never wrong data, never another exception.
     */
    @Test
    void everySingleByteFlipIsDetected() throws IOException {
        byte[] original = Files.readAllBytes(path);
        long seed = SstTestSupport.seed("TableCorruptionTest.everyFlip", 0xf11bL);
        Random rnd = new Random(seed);
        List<String> expected = show(entries);
        for (int pos = 0; pos < original.length; pos++) {
            byte[] damaged = original.clone();
            damaged[pos] ^= (byte) (1 + rnd.nextInt(255));
            Throwable t = catchThrowable(() -> {
                try (Table table = Table.open(new MemReadableFile(damaged), NAME, damaged.length);
                        InternalIterator it = table.iterator()) {
                    it.seekToFirst();
                    List<String> got = drain(it);
                    // Not reached when the damage is caught; if it is not, the data must at least be right.
                    assertThat(got).containsExactlyElementsOf(expected);
                }
            });
            assertThat(t)
                    .as("flip at %d of %d, seed %d", pos, original.length, seed)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(NAME);
        }
    }

    @Test
    void intactTableStillReadsBack() throws IOException {
        try (Table table = SstTestSupport.open(path, size);
                InternalIterator it = table.iterator()) {
            it.seekToFirst();
            assertThat(drain(it)).containsExactlyElementsOf(show(entries));
            for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
                if (InternalKey.type(e.getKey()) == ValueType.VALUE) {
                    assertThat(table.get(e.getKey()).value()).isEqualTo(e.getValue());
                }
            }
        }
    }
}
