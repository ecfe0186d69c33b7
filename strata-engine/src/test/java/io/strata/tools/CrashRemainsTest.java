package io.strata.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.Options;
import io.strata.StrataDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashRemainsTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryWithoutAStoreLeftNothing() throws Exception {
        assertThat(CrashRemains.inspect(dir)).isEqualTo(new CrashRemains(0, 0));
    }

    @Test
    void countsTheLiveWalAndATableTheManifestDoesNotList() throws Exception {
        Path db = dir.resolve("db");
        try (StrataDb s = StrataDb.open(db, new Options())) {
            s.put(bytes("k"), bytes("v"));
            s.flush();
            assertThat(StoreLayout.of(s).filesPerLevel().stream()
                            .mapToInt(Integer::intValue)
                            .sum())
                    .isEqualTo(1);
        }
        List<String> tables =
                StoreFiles.names(db).stream().filter(StoreFiles::isTable).toList();
        assertThat(tables).hasSize(1);
        // Tables a flush and a compaction were writing when the process died: on disk, not in the
        // MANIFEST (two, so that counting the one live table instead would show).
        Files.copy(db.resolve(tables.get(0)), db.resolve("999998.sst"));
        Files.copy(db.resolve(tables.get(0)), db.resolve("999999.sst"));

        CrashRemains remains = CrashRemains.inspect(db);

        assertThat(remains.unlistedTables()).isEqualTo(2);
        assertThat(remains.walSegments()).isEqualTo(1);
        assertThat(remains.describe())
                .isEqualTo("found 1 WAL segment to replay and 2 table files the MANIFEST does not list"
                        + " (a flush or compaction was writing)");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
