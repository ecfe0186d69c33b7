package io.strata.version;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.strata.CorruptionException;
import io.strata.fuzz.FuzzSupport;
import io.strata.fuzz.FuzzSupport.MemReadableFile;
import io.strata.fuzz.FuzzSupport.MemWritableFile;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.wal.LogReader;
import io.strata.wal.LogWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz targets for the MANIFEST: one record ({@link VersionEdit#decode}) and a whole MANIFEST
 * file (records framed as in the WAL, read with {@link LogReader}, each decoded). Only
 * {@link CorruptionException} may come out. Seeds: {@code ManifestFuzzTestInputs/<method>/}.
 */
class ManifestFuzzTest {
    @FuzzTest
    void versionEdit(byte[] input) throws Exception {
        FuzzSupport.expectOnlyCorruption(input.length, () -> check(VersionEdit.decode(input, "fuzz edit")));
    }

    @FuzzTest
    void manifest(byte[] input) throws Exception {
        FuzzSupport.expectOnlyCorruption(input.length, () -> {
            LogReader reader = new LogReader(new MemReadableFile(input), "MANIFEST-fuzz", true);
            long records = 0;
            for (byte[] rec = reader.next(); rec != null; rec = reader.next()) {
                FuzzSupport.checkSteps(++records, input.length / 8 + 1, "MANIFEST reader");
                check(VersionEdit.decode(rec, "MANIFEST-fuzz record " + records));
            }
        });
    }

    private static void check(VersionEdit edit) {
        for (VersionEdit.LevelFile f : edit.newFiles()) {
            if (f.level() < 0
                    || f.level() >= Version.NUM_LEVELS
                    || f.file().smallest().length < InternalKey.TRAILER_SIZE
                    || f.file().largest().length < InternalKey.TRAILER_SIZE) {
                throw new AssertionError("decoded an impossible new file " + f);
            }
        }
        for (VersionEdit.DeletedFile d : edit.deletedFiles()) {
            if (d.level() < 0 || d.level() >= Version.NUM_LEVELS) {
                throw new AssertionError("decoded an impossible deleted file " + d);
            }
        }
    }

    /** Writes the seed corpora with the real encoder and log writer: {@code main <test resources dir>}. */
    public static void main(String[] args) throws IOException {
        Path base = Path.of(args[0], "io/strata/version/ManifestFuzzTestInputs");
        Path edits = Files.createDirectories(base.resolve("versionEdit"));
        Path manifests = Files.createDirectories(base.resolve("manifest"));
        VersionEdit first = new VersionEdit().logNumber(3).nextFileNumber(9).lastSequence(120);
        VersionEdit flush = new VersionEdit()
                .logNumber(8)
                .nextFileNumber(10)
                .lastSequence(250)
                .addFile(0, file(7, "apple", "mango"));
        VersionEdit compaction = new VersionEdit()
                .nextFileNumber(12)
                .deleteFile(0, 7)
                .deleteFile(1, 5)
                .addFile(1, file(10, "apple", "grape"))
                .addFile(1, file(11, "kiwi", "zucchini"));
        Files.write(edits.resolve("numbers"), first.encode());
        Files.write(edits.resolve("flush"), flush.encode());
        Files.write(edits.resolve("compaction"), compaction.encode());
        MemWritableFile file = new MemWritableFile();
        LogWriter writer = new LogWriter(file);
        writer.addRecord(first.encode());
        writer.addRecord(flush.encode());
        writer.addRecord(compaction.encode());
        Files.write(manifests.resolve("three-edits"), file.bytes());
    }

    private static FileMetaData file(long number, String smallest, String largest) {
        return new FileMetaData(
                number,
                4096 + number,
                InternalKey.encode(smallest.getBytes(StandardCharsets.UTF_8), 100, ValueType.VALUE),
                InternalKey.encode(largest.getBytes(StandardCharsets.UTF_8), 90, ValueType.DELETION));
    }
}
