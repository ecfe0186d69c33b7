package io.strata.cli;

import static io.strata.cli.Cli.bytes;
import static io.strata.cli.Cli.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.Options;
import io.strata.StrataDb;
import io.strata.sstable.TableInspector;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbVerifyCommandTest {
    @TempDir
    Path dir;

    @Test
    void cleanStoreExitsZeroAndCountsEveryBlockAndEntry() throws IOException {
        Cli.fillAndFlush(dir, 3000);
        List<Path> tables = Cli.files(dir, ".sst");
        assertThat(tables).hasSizeGreaterThan(1);
        long blocks = 0;
        for (Path t : tables) {
            try (TableInspector inspector = TableInspector.open(t)) {
                blocks += inspector.blocks().size();
            }
        }

        Cli.Result r = Cli.run("db", "verify", dir);

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("checked " + tables.size() + " tables (" + blocks + " blocks, 3000 entries)")
                .contains("no corruption found")
                .contains(tables.get(0).getFileName() + " ")
                .contains("MANIFEST-");
    }

    @Test
    void flippedByteInATableIsReportedWithTheFileAndBlockOffset() throws IOException {
        Cli.fillAndFlush(dir, 3000);
        Path victim = Cli.files(dir, ".sst").get(1);
        String name = victim.getFileName().toString();
        TableInspector.DataBlock block;
        try (TableInspector inspector = TableInspector.open(victim)) {
            block = inspector.blocks().get(1);
        }
        Cli.flipByte(victim, block.offset() + 7);

        Cli.Result r = Cli.run("db", "verify", dir);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out())
                .contains(name + ": checksum mismatch in block at offset " + block.offset())
                .contains("CORRUPTION in 1 file: " + name);
        assertThat(r.err().strip()).isEqualTo("strata db verify: corruption found in 1 file: " + name);
        // The other tables were still checked.
        for (Path other : Cli.files(dir, ".sst")) {
            if (!other.equals(victim)) {
                assertThat(r.out()).containsPattern(other.getFileName() + " +L\\d +ok");
            }
        }
    }

    @Test
    void corruptWalRecordIsReportedWithTheFileAndOffset() throws IOException {
        try (StrataDb db = StrataDb.open(dir)) {
            for (int i = 0; i < 10; i++) {
                db.put(bytes(key(i)), bytes("v" + i)); // one WAL record each; close flushes nothing
            }
        }
        Path wal = Cli.files(dir, ".wal").get(0);
        Cli.flipByte(wal, 10); // in the payload of the first record

        Cli.Result r = Cli.run("db", "verify", dir);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains(wal.getFileName() + ": corrupt record at offset 0: checksum mismatch");
        assertThat(r.err()).contains("corruption found in 1 file: " + wal.getFileName());
    }

    @Test
    void tornTailOfTheNewestWalSegmentIsNotCorruption() throws IOException {
        try (StrataDb db = StrataDb.open(dir)) {
            for (int i = 0; i < 10; i++) {
                db.put(bytes(key(i)), bytes("v" + i));
            }
        }
        Path wal = Cli.files(dir, ".wal").get(0);
        try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3); // a crash in the middle of the last append
        }

        Cli.Result r = Cli.run("db", "verify", dir);

        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out())
                .contains("9 records, 9 entries; ends in a torn record")
                .contains("no corruption found");
    }

    @Test
    void tableMissingFromTheDirectoryIsReported() throws IOException {
        Cli.fillAndFlush(dir, 3000);
        Path victim = Cli.files(dir, ".sst").get(0);
        Files.delete(victim);

        Cli.Result r = Cli.run("db", "verify", dir);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains(victim.getFileName().toString()).contains("listed in the MANIFEST but missing");
    }

    @Test
    void corruptManifestIsReportedAndEveryTableIsStillChecked() throws IOException {
        Cli.fillAndFlush(dir, 3000);
        Path manifest = Cli.files(dir, "").stream()
                .filter(p -> p.getFileName().toString().startsWith("MANIFEST-"))
                .findFirst()
                .orElseThrow();
        Cli.flipByte(manifest, 9);
        int tables = Cli.files(dir, ".sst").size();

        Cli.Result r = Cli.run("db", "verify", dir);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out())
                .contains("CURRENT/MANIFEST")
                .contains(manifest.getFileName() + ": corrupt record at offset 0")
                .contains("the live files are unknown")
                .contains("checked " + tables + " tables");
    }

    @Test
    void storeOpenInThisProcessCanBeVerified() {
        // No compaction meanwhile: one that deletes its inputs while verify reads them makes verify
        // report them missing, as its help says (only a closed store gives a definitive answer).
        // The 2000 writes make 4 or 5 level-0 tables, under this trigger.
        try (StrataDb db = StrataDb.open(dir, Cli.smallOptions().level0FileNumCompactionTrigger(8))) {
            for (int i = 0; i < 2000; i++) {
                db.put(bytes(key(i)), Cli.value(i));
            }
            db.flush();
            db.put(bytes("after-flush"), bytes("in the WAL only"));

            Cli.Result r = Cli.run("db", "verify", dir);

            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("2000 entries").contains("1 record, 1 entry");
            db.put(bytes("still"), bytes("writable")); // verify took no lock and changed nothing
        }
    }

    @Test
    void missingDirectoryIsAUsageError() {
        Cli.Result r = Cli.run("db", "verify", dir.resolve("nope"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("strata db verify: no such directory: " + dir.resolve("nope"));
    }

    @Test
    void directoryWithoutAStoreIsAUsageError() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "not a store");

        Cli.Result r = Cli.run("db", "verify", dir);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("strata db verify: no Strata store in " + dir + " (no store files)");
    }

    @Test
    void missingCurrentWithTablesIsCorruption() throws IOException {
        Cli.fillAndFlush(dir, 3000);
        Files.delete(dir.resolve("CURRENT"));

        Cli.Result r = Cli.run("db", "verify", dir);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("CURRENT").contains("missing").contains("3000 entries");
    }

    @Test
    void missingArgumentIsAUsageError() {
        Cli.Result r = Cli.run("db", "verify");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required parameter: '<dir>'").contains("Usage: strata db verify");
    }

    @Test
    void defaultOptionsStoreIsClean() {
        try (StrataDb db = StrataDb.open(dir, new Options())) {
            db.put(bytes("a"), bytes("1"));
            db.delete(bytes("a"));
            db.flush();
        }

        Cli.Result r = Cli.run("db", "verify", dir);

        assertThat(r.exitCode()).as(r.out()).isZero();
        // The flush leaves out the put the delete shadows: the tombstone alone is written.
        assertThat(r.out()).contains("checked 1 table (1 block, 1 entry)");
    }
}
