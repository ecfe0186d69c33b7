package io.strata.cli;

import static io.strata.cli.Cli.bytes;
import static io.strata.cli.Cli.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.StrataDb;
import io.strata.WriteBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SstDumpCommandTest {
    @TempDir
    Path dir;

    /** One table: keys 0..n-1 at sequences 1..n. */
    private Path oneTable(int n) throws IOException {
        try (StrataDb db = StrataDb.open(dir.resolve("db"))) {
            for (int i = 0; i < n; i++) {
                db.put(bytes(key(i)), Cli.value(i));
            }
            db.flush();
        }
        return Cli.files(dir.resolve("db"), ".sst").get(0);
    }

    @Test
    void printsPropertiesAndIndex() throws IOException {
        Path table = oneTable(500);

        Cli.Result r = Cli.run("sst", "dump", table);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("file size       " + Files.size(table) + " bytes")
                .contains("format version  1")
                .contains("entries         500 (500 puts, 0 tombstones)")
                .contains("smallest key    \"key000000\" @1 PUT")
                .contains("largest key     \"key000499\" @500 PUT")
                .containsPattern("filter +\\d+ bytes, 7 probes per key")
                .doesNotContain("value-");
        int blocks = Integer.parseInt(find(r.out(), "data blocks +(\\d+)"));
        assertThat(blocks).isGreaterThan(1);
        assertThat(r.out()).contains("index (" + blocks + " data blocks):");
        // One index line per block, offsets from 0, the last one naming the largest key.
        assertThat(r.out()).containsPattern("\n +0 +0 +\\d+  \"key\\d{6}\" @\\d+ PUT\n");
        assertThat(r.out()).containsPattern("\n +" + (blocks - 1) + " +\\d+ +\\d+  \"key000499\" @500 PUT\n");
    }

    @Test
    void limitPrintsTheFirstEntries() throws IOException {
        Path table = oneTable(500);

        Cli.Result r = Cli.run("sst", "dump", table, "--limit", "3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("entries (first 3 of 500):")
                .contains("  \"key000000\" @1 PUT  value 100 bytes \"value-000000-vvvvvvvvvvvvvvvvvvv\"...\n")
                .contains("  \"key000002\" @3 PUT")
                .doesNotContain("\"key000003\" @4");
    }

    @Test
    void entriesShowTombstonesAndEscapeUnprintableBytes() throws IOException {
        byte[] odd = {0, 'a', (byte) 0xff, '"', '\\'};
        try (StrataDb db = StrataDb.open(dir.resolve("db"))) {
            db.write(new WriteBatch()
                    .put(odd, new byte[] {1, 2})
                    .put(bytes("b"), bytes("x"))
                    .delete(bytes("c")));
            db.flush();
        }
        Path table = Cli.files(dir.resolve("db"), ".sst").get(0);

        Cli.Result r = Cli.run("sst", "dump", "--entries", table);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("entries         3 (2 puts, 1 tombstone)")
                .contains("entries (3):")
                .contains("  \"\\x00a\\xff\\\"\\\\\" @1 PUT  value 2 bytes \"\\x01\\x02\"\n")
                .contains("  \"b\" @2 PUT  value 1 byte \"x\"\n")
                .contains("  \"c\" @3 DEL\n");
    }

    @Test
    void notAnSstableIsOneLineOnStderr() throws IOException {
        Path small = Files.writeString(dir.resolve("small.sst"), "hello");
        Path large = Files.writeString(dir.resolve("large.sst"), "x".repeat(1000));

        Cli.Result r1 = Cli.run("sst", "dump", small);
        Cli.Result r2 = Cli.run("sst", "dump", large);

        assertThat(r1.exitCode()).isEqualTo(1);
        assertThat(r1.err())
                .isEqualTo("strata sst dump: small.sst: not an SSTable (5 bytes, shorter than a table footer)\n");
        assertThat(r2.exitCode()).isEqualTo(1);
        assertThat(r2.err()).isEqualTo("strata sst dump: large.sst: not an SSTable (bad magic number)\n");
    }

    @Test
    void damagedTableFailsWithTheOffset() throws IOException {
        Path table = oneTable(500);
        Cli.flipByte(table, 3);

        Cli.Result r = Cli.run("sst", "dump", table);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err())
                .startsWith("strata sst dump: " + table.getFileName() + ": checksum mismatch in block at offset 0")
                .hasLineCount(1);
    }

    @Test
    void usageErrorsExitTwo() {
        Cli.Result missing = Cli.run("sst", "dump", dir.resolve("nope.sst"));
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("strata sst dump: no such file: " + dir.resolve("nope.sst") + "\n");

        Cli.Result directory = Cli.run("sst", "dump", dir);
        assertThat(directory.exitCode()).isEqualTo(2);
        assertThat(directory.err()).contains("is a directory");

        Cli.Result badLimit = Cli.run("sst", "dump", "--limit", "-1", dir.resolve("x.sst"));
        assertThat(badLimit.exitCode()).isEqualTo(2);
        assertThat(badLimit.err()).contains("--limit must be at least 0");

        Cli.Result notNumber = Cli.run("sst", "dump", "--limit", "many", dir.resolve("x.sst"));
        assertThat(notNumber.exitCode()).isEqualTo(2);
        assertThat(notNumber.err()).contains("Invalid value for option '--limit'");

        Cli.Result noFile = Cli.run("sst", "dump");
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("Missing required parameter: '<file>'");
    }

    private static String find(String text, String regex) {
        var m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("/" + regex + "/ in:\n" + text).isTrue();
        return m.group(1);
    }
}
