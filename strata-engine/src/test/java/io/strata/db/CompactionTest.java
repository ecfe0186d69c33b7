package io.strata.db;

import io.strata.Options;
import io.strata.StrataDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.strata.db.StoreFiles.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CompactionTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static Options small() {
        return new Options().writeBufferSize(16 * 1024).targetFileSize(32 * 1024)
                .maxBytesForLevelBase(128 * 1024).maxBytesForLevelMultiplier(4);
    }

    private static byte[] key(int i) {
        return b(String.format("key-%08d", i));
    }

    private static byte[] value(int i, int generation) {
        return b(String.format("value-%08d-%04d-", i, generation) + "x".repeat(60));
    }

    @Test
    void obsoleteInputFilesAreDeletedOnceNothingReadsThem() throws Exception {
        try (StrataDb db = StrataDb.open(dir, small())) {
            for (int i = 0; i < 5000; i++) {
                db.put(key(i % 1000), value(i % 1000, i / 1000));
            }
            db.flush();
            await().atMost(PATIENCE).until(() -> Long.parseLong(db.getProperty("strata.compactions")) > 0
                    && Long.parseLong(db.getProperty("strata.num-files-at-level0")) < 4);
            await().atMost(PATIENCE).until(() -> StoreFiles.tables(dir).size() == liveTables(db));
            assertThat(liveTables(db)).isPositive();
        }
    }

    private static int liveTables(StrataDb db) {
        int n = 0;
        for (int level = 0; level < 7; level++) {
            n += Integer.parseInt(db.getProperty("strata.num-files-at-level" + level));
        }
        return n;
    }
}
