package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.StrataDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbStatsCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheStoreStatistics() {
        Cli.fillAndFlush(dir, 3000);

        Cli.Result r = Cli.run("db", "stats", dir);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .startsWith("** Compaction stats **\n")
                // The fill's tables are in level 0, or already compacted deeper: either way, listed.
                .containsPattern("\nL[0-6] +[1-9]\\d* +\\d+\\.\\d")
                .contains("background error: none");
        assertThat(r.err()).isEmpty();
    }

    /**
     * The store is opened read-only: beside a process that has it open (here, the same one)
     * the command works, shows what that store had written (its WAL, replayed into memory), and
     * creates, renames and deletes nothing (the directory's time would change; the engine's
     * ReadOnlyOpenTest checks every file's bytes and times).
     */
    @Test
    void worksBesideAnOpenStoreAndChangesNothing() throws IOException {
        Cli.fillAndFlush(dir, 3000);
        try (StrataDb db = StrataDb.open(dir, Cli.smallOptions())) {
            // Settle the open store first: the fill leaves enough level-0 tables for a background
            // compaction, which would change the files under the check below.
            db.compactRange(null, null);
            for (int i = 0; i < 10; i++) {
                db.put(Cli.bytes(Cli.key(i)), Cli.value(i));
            }
            List<String> files = PathChecks.storeFiles(dir);
            FileTime dirTime = Files.getLastModifiedTime(dir);

            Cli.Result r = Cli.run("db", "stats", dir);

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out())
                    .contains("last sequence: " + db.getProperty("strata.last-sequence") + ",")
                    .containsPattern("memtables: active [1-9]\\d* bytes");
            assertThat(r.err()).isEmpty();
            assertThat(PathChecks.storeFiles(dir)).isEqualTo(files);
            assertThat(Files.getLastModifiedTime(dir)).isEqualTo(dirTime);
        }
    }

    @Test
    void noStoreIsAUsageErrorAndCreatesNothing() {
        Cli.Result r = Cli.run("db", "stats", dir);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("strata db stats: no Strata store in " + dir + " (no CURRENT file)\n");
        assertThat(dir.toFile().list()).isEmpty();
    }
}
