package io.strata.cli;

import io.strata.StrataDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DbCompactCommandTest {
    @TempDir
    Path dir;

    @Test
    void movesEveryTableIntoOneLevelAndKeepsTheData() {
        Cli.fillAndFlush(dir, 3000);

        Cli.Result r = Cli.run("db", "compact", dir);

        assertThat(r.exitCode()).as(r.err()).isZero();
        // Whatever background compaction did before, afterwards all tables sit in one level.
        assertThat(r.out()).containsPattern("before: files per level \\[[0-9 ]+\\]")
                .containsPattern("after: +files per level \\[0( 0)* [1-9]\\d*( 0)*\\]");
        try (StrataDb db = StrataDb.open(dir, Cli.smallOptions())) {
            for (int i = 0; i < 3000; i += 97) {
                assertThat(db.get(Cli.bytes(Cli.key(i)))).as("key %d", i).isEqualTo(Cli.value(i));
            }
        }
    }

    @Test
    void storeOpenElsewhereIsOneLineOnStderr() {
        try (StrataDb db = StrataDb.open(dir)) {
            Cli.Result r = Cli.run("db", "compact", dir);

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).startsWith("strata db compact: cannot open the store at " + dir).hasLineCount(1);
        }
    }
}
