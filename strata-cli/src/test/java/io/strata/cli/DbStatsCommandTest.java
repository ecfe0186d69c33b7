package io.strata.cli;

import io.strata.StrataDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

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

    @Test
    void storeOpenElsewhereIsOneLineOnStderr() {
        try (StrataDb db = StrataDb.open(dir)) {
            Cli.Result r = Cli.run("db", "stats", dir);

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).startsWith("strata db stats: cannot open the store at " + dir + ": it is already open")
                    .hasLineCount(1);
            assertThat(r.out()).isEmpty();
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
