package io.strata.wal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.strata.CorruptionException;
import io.strata.WriteBatch;
import io.strata.db.WalRecords;
import io.strata.fuzz.FuzzSupport;
import io.strata.fuzz.FuzzSupport.MemReadableFile;
import io.strata.fuzz.FuzzSupport.MemWritableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target: a WAL segment of arbitrary bytes read with {@link LogReader} (with and without a
 * torn tail allowed), each record decoded as recovery decodes it ({@link WalRecords#decode}).
 * Only {@link CorruptionException} may come out; the reader must end (every record advances
 * it) and allocate no more than the input explains. Seeds: {@code WalFuzzTestInputs/<method>/}.
 */
class WalFuzzTest {
    @FuzzTest
    void logReader(byte[] input) throws Exception {
        for (boolean tornTailAllowed : new boolean[] {false, true}) {
            FuzzSupport.expectOnlyCorruption(input.length, () -> readAll(input, tornTailAllowed));
        }
    }

    /**
     * One WAL record's payload decoded directly: random bytes seldom pass the record checksum,
     * so the {@link #logReader} target rarely reaches the batch decoder. Seeds:
     * {@code WalFuzzTestInputs/walRecord/}.
     */
    @FuzzTest
    void walRecord(byte[] input) throws Exception {
        FuzzSupport.expectOnlyCorruption(input.length, () -> {
            WalRecords.Summary s = WalRecords.decode(input, "fuzz record");
            if (s.entries() > input.length || (s.entries() > 0 && s.firstSequence() > s.lastSequence())) {
                throw new AssertionError("impossible summary " + s + " of " + input.length + " bytes");
            }
        });
    }

    private static void readAll(byte[] input, boolean tornTailAllowed) throws IOException {
        LogReader reader = new LogReader(new MemReadableFile(input), "fuzz.wal", tornTailAllowed);
        long records = 0;
        long lastOffset = 0;
        for (byte[] rec = reader.next(); rec != null; rec = reader.next()) {
            FuzzSupport.checkSteps(++records, input.length / LogFormat.HEADER_SIZE + 1, "LogReader");
            if (reader.offset() <= lastOffset || reader.offset() > input.length) {
                throw new AssertionError("reader offset went from " + lastOffset + " to " + reader.offset());
            }
            lastOffset = reader.offset();
            try {
                WalRecords.Summary s = WalRecords.decode(rec, "fuzz.wal record " + records);
                if (s.entries() > rec.length) {
                    throw new AssertionError(s.entries() + " entries from a record of " + rec.length + " bytes");
                }
            } catch (CorruptionException e) {
                // a well-framed record whose payload is not a batch: the next record may still be read
            }
        }
    }

    /** Writes the seed corpus with the real writer: {@code main <test resources dir>}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0], "io/strata/wal/WalFuzzTestInputs/logReader");
        Files.createDirectories(dir);
        MemWritableFile file = new MemWritableFile();
        LogWriter writer = new LogWriter(file);
        writer.addRecord(batch(1, "put:a=1", "put:b=2", "del:c"));
        writer.addRecord(batch(4, "put:key=value"));
        // two batches of one commit group in one record
        byte[] one = batch(5, "put:x=y");
        byte[] two = batch(6, "del:x", "put:z=");
        byte[] group = new byte[one.length + two.length];
        System.arraycopy(one, 0, group, 0, one.length);
        System.arraycopy(two, 0, group, one.length, two.length);
        writer.addRecord(group);
        Path records = Files.createDirectories(Path.of(args[0], "io/strata/wal/WalFuzzTestInputs/walRecord"));
        Files.write(records.resolve("three-entries"), batch(1, "put:a=1", "put:b=2", "del:c"));
        Files.write(records.resolve("group-of-two"), group);
        byte[] wal = file.bytes();
        Files.write(dir.resolve("three-records"), wal);
        Files.write(dir.resolve("torn-tail"), java.util.Arrays.copyOf(wal, wal.length - 3));
        byte[] zeros = java.util.Arrays.copyOf(wal, wal.length + 32);
        Files.write(dir.resolve("zero-tail"), zeros);
    }

    private static byte[] batch(long sequence, String... ops) {
        WriteBatch b = new WriteBatch();
        for (String op : ops) {
            String[] kv = op.substring(4).split("=", -1);
            byte[] key = kv[0].getBytes(StandardCharsets.UTF_8);
            if (op.startsWith("put:")) {
                b.put(key, kv[1].getBytes(StandardCharsets.UTF_8));
            } else {
                b.delete(key);
            }
        }
        byte[] out = new byte[b.encodedSize()];
        b.encodeInto(out, 0, sequence);
        return out;
    }
}
