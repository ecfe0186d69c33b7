package io.strata.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.CorruptionException;
import io.strata.fs.LocalFileSystem;
import io.strata.fs.ReadableFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTest {
    @TempDir
    Path dir;

    private Path write(List<byte[]> records) throws IOException {
        Path p = dir.resolve("000001.wal");
        try (LogWriter w = new LogWriter(LocalFileSystem.INSTANCE.create(p))) {
            for (byte[] r : records) {
                w.addRecord(r);
            }
            w.sync();
        }
        return p;
    }

    private List<byte[]> read(Path p, boolean tornTailAllowed) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (ReadableFile f = LocalFileSystem.INSTANCE.openReadable(p)) {
            LogReader r = new LogReader(f, p.getFileName().toString(), tornTailAllowed);
            for (byte[] rec; (rec = r.next()) != null; ) {
                out.add(rec);
            }
        }
        return out;
    }

    private static List<byte[]> records(int n, long seed) {
        Random rnd = new Random(seed);
        List<byte[]> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[rnd.nextInt(i % 10 == 0 ? 100_000 : 200)];
            rnd.nextBytes(b);
            list.add(b);
        }
        return list;
    }

    @Test
    void roundTripsRecordsOfAllSizesIncludingEmpty() throws IOException {
        List<byte[]> recs = records(300, 1);
        recs.add(new byte[0]);
        assertThat(read(write(recs), false)).containsExactlyElementsOf(recs);
    }

    @Test
    void tornTailIsDroppedAtEveryCutPointOfTheLastRecord() throws IOException {
        List<byte[]> recs = records(5, 2);
        Path p = write(recs);
        long full = Files.size(p);
        long lastStart = full - 8 - recs.get(4).length;
        for (long cut = lastStart + 1; cut < full; cut += Math.max(1, (full - lastStart) / 50)) {
            Path copy = dir.resolve("cut.wal");
            Files.copy(p, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            assertThat(read(copy, true)).containsExactlyElementsOf(recs.subList(0, 4));
            assertThatThrownBy(() -> read(copy, false))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("cut.wal")
                    .hasMessageContaining("offset " + lastStart);
        }
    }

    @Test
    void zeroFilledTailIsATornTail() throws IOException {
        List<byte[]> recs = records(3, 3);
        Path p = write(recs);
        Files.write(p, new byte[4096], StandardOpenOption.APPEND);
        assertThat(read(p, true)).containsExactlyElementsOf(recs);
    }

    @Test
    void corruptionBeforeTheTailFailsWithFileAndOffset() throws IOException {
        List<byte[]> recs = records(4, 4);
        Path p = write(recs);
        long secondStart = 8L + recs.get(0).length;
        flip(p, secondStart + 8);
        assertThatThrownBy(() -> read(p, true))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("000001.wal")
                .hasMessageContaining("offset " + secondStart)
                .hasMessageContaining("checksum");
    }

    @Test
    void hugeLengthFieldIsRejectedWithoutAllocating() throws IOException {
        List<byte[]> recs = records(3, 5);
        Path p = write(recs);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}), 4);
        }
        assertThatThrownBy(() -> read(p, true))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("exceeds the limit");
    }

    @Test
    void seededRandomDamageGivesAPrefixOrCorruptionNeverWrongRecords() throws IOException {
        long seed = 20261124L;
        System.out.println("LogTest seed " + seed);
        Random rnd = new Random(seed);
        List<byte[]> recs = records(20, 6);
        Path p = write(recs);
        byte[] original = Files.readAllBytes(p);
        for (int round = 0; round < 300; round++) {
            byte[] damaged = original.clone();
            int pos = rnd.nextInt(damaged.length);
            damaged[pos] ^= (byte) (1 + rnd.nextInt(255));
            Path q = dir.resolve("damaged.wal");
            Files.write(q, damaged);
            try {
                List<byte[]> got = read(q, true);
                assertThat(got.size()).isLessThanOrEqualTo(recs.size());
                assertThat(got).containsExactlyElementsOf(recs.subList(0, got.size()));
            } catch (CorruptionException expected) {
                assertThat(expected).hasMessageContaining("damaged.wal");
            }
        }
    }

    private static void flip(Path p, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5a));
            b.rewind();
            ch.write(b, offset);
        }
    }
}
