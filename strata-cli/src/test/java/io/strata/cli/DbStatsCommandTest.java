package io.strata.cli;

import io.strata.StrataDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DbStatsCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheStoreStatistics() {
        Cli.fillAndFlush(dir, 3000);

        Cli.Result r = Cli.run("db", "stats", dir);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("** Compaction stats **\n").containsPattern("\nL0 +[1-9]\\d* +\\d+\\.\\d")
                .contains("background error: none");
        assertThat(r.err()).isEmpty();
    }

    /**
     * The store is opened read-only: beside a process that has it open (here, the same one)
     * the command works, shows what that store had written (its WAL, replayed into memory), and
     * changes nothing in the directory.
     */
    @Test
    void worksBesideAnOpenStoreAndChangesNothing() throws IOException {
        Cli.fillAndFlush(dir, 3000);
        try (StrataDb db = StrataDb.open(dir, Cli.smallOptions())) {
            for (int i = 0; i < 10; i++) {
                db.put(Cli.bytes(Cli.key(i)), Cli.value(i));
            }
            Map<String, String> before = sizesAndTimes(dir);

            Cli.Result r = Cli.run("db", "stats", dir);

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("last sequence: " + db.getProperty("strata.last-sequence") + ",")
                    .containsPattern("memtables: active [1-9]\\d* bytes");
            assertThat(r.err()).isEmpty();
            assertThat(sizesAndTimes(dir)).isEqualTo(before);
        }
    }

    /** Every file's size and modification time, and the directory's. */
    private static Map<String, String> sizesAndTimes(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        out.put(".", Files.getLastModifiedTime(dir).toString());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                out.put(p.getFileName().toString(), Files.size(p) + " bytes, modified " + Files.getLastModifiedTime(p));
            }
        }
        return out;
    }

    @Test
    void noStoreIsAUsageErrorAndCreatesNothing() {
        Cli.Result r = Cli.run("db", "stats", dir);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("strata db stats: no Strata store in " + dir + " (no CURRENT file)\n");
        assertThat(dir.toFile().list()).isEmpty();
    }
}
