package io.strata.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NewestVersionsTest {
    private final MemTableEntries entries = new MemTableEntries();

    private long add(NewestVersions table, String key, long sequence) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        long entry = entries.add(k, 0, k.length, (sequence << 8) | ValueType.VALUE, new byte[0], 0, 0);
        table.add(entry, k, 0, k.length);
        return entry;
    }

    private static long find(NewestVersions table, String key) {
        byte[] seek = InternalKey.seekKey(key.getBytes(StandardCharsets.UTF_8), 1);
        return table.find(seek, seek.length - InternalKey.TRAILER_SIZE);
    }

    /** Growing many times over keeps every key's newest entry; an older one never replaces it. */
    @Test
    void keepsEachKeysNewestEntryAcrossGrowth() {
        NewestVersions table = new NewestVersions(entries);
        long[] newest = new long[5000];
        for (int round = 1; round <= 3; round++) {
            for (int k = 0; k < newest.length; k++) {
                newest[k] = add(table, "key-" + k, round * 10_000L + k);
            }
        }
        add(table, "key-7", 5); // older than key-7's newest: ignored
        for (int k = 0; k < newest.length; k++) {
            assertThat(find(table, "key-" + k)).as("key-" + k).isEqualTo(newest[k]);
        }
        assertThat(find(table, "key-5000")).isEqualTo(NewestVersions.NONE);
        assertThat(find(table, "key-")).isEqualTo(NewestVersions.NONE);
        assertThat(table.usedBytes()).isEqualTo(8192L * 16);
    }

    /** Past its bound it stops taking keys: those in it stay current, a miss says "unknown". */
    @Test
    void pastItsBoundAMissIsUnknown() {
        NewestVersions table = new NewestVersions(entries, 100);
        for (int k = 0; k < 100; k++) {
            add(table, "key-" + k, k + 1);
        }
        assertThat(find(table, "key-100")).isEqualTo(NewestVersions.NONE);
        add(table, "key-100", 101);
        assertThat(find(table, "key-100")).isEqualTo(NewestVersions.UNKNOWN);
        assertThat(find(table, "never")).isEqualTo(NewestVersions.UNKNOWN);
        long newer = add(table, "key-3", 200);
        assertThat(find(table, "key-3")).isEqualTo(newer);
    }
}
