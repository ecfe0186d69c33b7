package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.StrataDb;
import io.strata.StrataIterator;
import io.strata.server.store.ValueCodec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbCompactCommandTest {
    @TempDir
    Path dir;

    @Test
    void movesEveryTableIntoOneLevelAndKeepsTheData() {
        Cli.fillAndFlush(dir, 3000);

        Cli.Result r = Cli.run("db", "compact", dir);

        assertThat(r.exitCode()).as(r.err()).isZero();
        // Whatever background compaction did before, afterwards all tables sit in one level.
        assertThat(r.out())
                .containsPattern("before: files per level \\[[0-9 ]+\\]")
                .containsPattern("after: +files per level \\[0( 0)* [1-9]\\d*( 0)*\\]");
        try (StrataDb db = StrataDb.open(dir, Cli.smallOptions())) {
            for (int i = 0; i < 3000; i += 97) {
                assertThat(db.get(Cli.bytes(Cli.key(i)))).as("key %d", i).isEqualTo(Cli.value(i));
            }
        }
    }

    /** A server's store: keys 0..n-1, the even ones expired an hour ago, the odd ones expiring in an hour. */
    private void fillServerStore(int n) {
        long now = System.currentTimeMillis();
        try (StrataDb db = StrataDb.open(dir, Cli.smallOptions())) {
            for (int i = 0; i < n; i++) {
                db.put(
                        Cli.bytes(Cli.key(i)),
                        ValueCodec.encode(Cli.value(i), i % 2 == 0 ? now - 3_600_000 : now + 3_600_000));
            }
            db.flush();
        }
    }

    private int storedKeys() {
        int n = 0;
        try (StrataDb db = StrataDb.open(dir, Cli.smallOptions());
                StrataIterator it = db.iterator()) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void serverValuesDropsExpiredKeys() {
        fillServerStore(2000);
        Cli.Result plain = Cli.run("db", "compact", dir);
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(storedKeys()).as("without --server-values expired keys stay").isEqualTo(2000);

        Cli.Result r = Cli.run("db", "compact", "--server-values", dir);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(storedKeys()).isEqualTo(1000);
        try (StrataDb db = StrataDb.open(dir, Cli.smallOptions())) {
            for (int i = 0; i < 2000; i += 7) {
                byte[] v = db.get(Cli.bytes(Cli.key(i)));
                if (i % 2 == 0) {
                    assertThat(v).as("expired key %d", i).isNull();
                } else {
                    assertThat(ValueCodec.expireAt(v)).as("key %d", i).isPositive();
                }
            }
        }
    }

    @Test
    void storeOpenElsewhereIsOneLineOnStderr() {
        try (StrataDb db = StrataDb.open(dir)) {
            Cli.Result r = Cli.run("db", "compact", dir);

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err())
                    .startsWith("strata db compact: cannot open the store at " + dir)
                    .hasLineCount(1);
        }
    }
}
