package io.strata.sstable;

import static io.strata.sstable.SstTestSupport.bytes;
import static io.strata.sstable.SstTestSupport.ikey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.CorruptionException;
import io.strata.fs.LocalFileSystem;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TableInspector}: the figures and index it reports, and the damage its checks find. */
class TableInspectorTest {
    private static final String NAME = "000009.sst";

    @TempDir
    Path dir;

    private Path path;
    private long size;
    private final TreeMap<byte[], byte[]> entries = new TreeMap<>(InternalKey.COMPARATOR);

    @BeforeEach
    void writeTable() throws IOException {
        for (int i = 0; i < 300; i++) {
            entries.put(ikey(String.format("key%05d", i), 10, ValueType.VALUE), bytes("value-" + i));
            if (i % 10 == 0) {
                entries.put(ikey(String.format("key%05d", i), 5, ValueType.DELETION), new byte[0]);
            }
        }
        path = dir.resolve(NAME);
        size = SstTestSupport.writeTable(path, entries, 512, 16, 10);
    }

    @Test
    void reportsTheTablesFiguresAndIndex() throws IOException {
        List<SstTestSupport.IndexEntry> index = SstTestSupport.index(Files.readAllBytes(path));
        try (TableInspector t = TableInspector.open(path)) {
            TableInspector.Properties p = t.properties();

            assertThat(p.fileSize()).isEqualTo(size);
            assertThat(p.formatVersion()).isEqualTo(1);
            assertThat(p.entries()).isEqualTo(entries.size());
            assertThat(p.tombstones()).isEqualTo(30);
            assertThat(p.smallestKey()).isEqualTo(entries.firstKey());
            assertThat(p.largestKey()).isEqualTo(entries.lastKey());
            assertThat(p.filterProbes()).isEqualTo(7);
            assertThat(p.dataBlocks()).isEqualTo(index.size()).isGreaterThan(5);
            assertThat(p.dataSize() + p.filterSize() + p.indexSize() + 2 * BlockTrailer.LENGTH + Footer.LENGTH)
                    .isEqualTo(size);
            List<TableInspector.DataBlock> blocks = t.blocks();
            for (int i = 0; i < blocks.size(); i++) {
                assertThat(blocks.get(i).number()).isEqualTo(i);
                assertThat(blocks.get(i).offset())
                        .isEqualTo(index.get(i).handle().offset());
                assertThat(blocks.get(i).size()).isEqualTo(index.get(i).handle().size());
                assertThat(blocks.get(i).indexKey()).isEqualTo(index.get(i).lastKey());
            }
        }
    }

    @Test
    void checkBlockNamesTheDamagedBlocksOffset() throws IOException {
        TableInspector.DataBlock third;
        try (TableInspector t = TableInspector.open(path)) {
            third = t.blocks().get(2);
        }
        byte[] file = Files.readAllBytes(path);
        file[(int) third.offset() + 20] ^= 1;
        Files.write(path, file);

        try (TableInspector t = TableInspector.open(path)) {
            List<TableInspector.DataBlock> blocks = t.blocks();
            assertThat(t.checkBlock(blocks.get(1), blocks.get(0)).entries()).isPositive();
            assertThatThrownBy(() -> t.checkBlock(blocks.get(2), blocks.get(1)))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessage(NAME + ": checksum mismatch in block at offset " + third.offset() + " (size "
                            + third.size() + ")");
            assertThatThrownBy(t::properties).isInstanceOf(CorruptionException.class);
        }
    }

    @Test
    void aFilterThatMissesAKeyIsCorruptionEvenWithAGoodChecksum() throws IOException {
        byte[] file = Files.readAllBytes(path);
        long dataEnd = (long) file.length - Footer.LENGTH;
        Footer footer = Footer.decode(java.util.Arrays.copyOfRange(file, (int) dataEnd, file.length), dataEnd, NAME);
        int off = (int) footer.filter().offset();
        int len = (int) footer.filter().size();
        java.util.Arrays.fill(file, off, off + len - 1, (byte) 0); // every bit clear, k kept
        byte[] contents = java.util.Arrays.copyOfRange(file, off, off + len);
        System.arraycopy(BlockTrailer.encode(contents), 0, file, off + len, BlockTrailer.LENGTH);
        Files.write(path, file);

        try (TableInspector t = TableInspector.open(path)) {
            assertThatThrownBy(t::properties)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageStartingWith(NAME + ": the bloom filter misses the key of entry 0 in block at offset 0");
        }
    }

    /**
     * An index entry that names the filter block (a block with a good checksum, but no data
     * block) is refused where any read of the data block starts: the engine's and the
     * inspector's, with one check and one message.
     */
    @Test
    void anIndexEntryNamingTheFilterBlockIsOutsideTheDataArea() throws IOException {
        byte[] file = Files.readAllBytes(path);
        long dataEnd = (long) file.length - Footer.LENGTH;
        Footer footer = Footer.decode(Arrays.copyOfRange(file, (int) dataEnd, file.length), dataEnd, NAME);
        List<SstTestSupport.IndexEntry> index = SstTestSupport.index(file);
        int last = index.size() - 1;
        BlockBuilder b = new BlockBuilder(1);
        for (int i = 0; i < index.size(); i++) {
            b.add(
                    index.get(i).lastKey(),
                    (i == last ? footer.filter() : index.get(i).handle()).encode());
        }
        byte[] newIndex = b.finish();
        int indexOffset = (int) (footer.filter().offset() + footer.filter().size() + BlockTrailer.LENGTH);
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        image.write(file, 0, indexOffset);
        image.write(newIndex);
        image.write(BlockTrailer.encode(newIndex));
        image.write(new Footer(footer.filter(), new BlockHandle(indexOffset, newIndex.length)).encode());
        Files.write(path, image.toByteArray());
        String outside = " names a block outside the data area (offset "
                + footer.filter().offset() + ", size " + footer.filter().size() + ")";

        try (Table t = SstTestSupport.open(path, image.size())) {
            assertThatThrownBy(() -> t.get(InternalKey.seekKey(InternalKey.userKey(entries.lastKey()), 10)))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessage(NAME + ": the index" + outside);
        }
        try (TableInspector t = TableInspector.open(path)) {
            assertThatThrownBy(t::blocks)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessage(NAME + ": index entry " + last + outside);
        }
    }

    @Test
    void aFileOfAnotherSizeThanRecordedIsCorrupt() {
        assertThatThrownBy(() -> TableInspector.open(LocalFileSystem.INSTANCE, path, size + 1))
                .isInstanceOf(CorruptionException.class)
                .hasMessage(NAME + ": file is " + size + " bytes, but the MANIFEST records " + (size + 1));
    }

    @Test
    void aShortFileIsNotAnSstable() throws IOException {
        Path small = Files.write(dir.resolve("x.sst"), new byte[Footer.LENGTH - 1]);

        assertThatThrownBy(() -> TableInspector.open(small))
                .isInstanceOf(CorruptionException.class)
                .hasMessage("x.sst: not an SSTable (47 bytes, shorter than a table footer)");
    }
}
