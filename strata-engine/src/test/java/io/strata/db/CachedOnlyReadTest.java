package io.strata.db;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.NotCachedException;
import io.strata.Options;
import io.strata.ReadOptions;
import io.strata.StrataDb;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A get with {@link ReadOptions#cachedOnly} answers what memory holds and reads no file: where
 * it would open a table or read a block, it throws {@link NotCachedException}, and the same get
 * without the option then answers (and fills the caches).
 */
class CachedOnlyReadTest {
    private static final ReadOptions CACHED_ONLY = new ReadOptions().cachedOnly(true);

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void answersFromMemtablesAndCachedBlocksAndRefusesWhatNeedsAFile() {
        Options options = new Options().blockCacheSize(1 << 20);
        try (StrataDb db = StrataDb.open(dir, options)) {
            db.put(b("a"), b("1"));
            db.put(b("m"), b("2"));
            assertThat(db.get(b("a"), CACHED_ONLY)).as("from the memtable").isEqualTo(b("1"));
            assertThat(db.get(b("b"), CACHED_ONLY)).as("absent, memtable only").isNull();
        }
        try (StrataDb db = StrataDb.open(dir, options)) {
            db.flush();
            db.put(b("z"), b("3"));
            // Reopened: the flushed table is not open yet, its blocks not cached.
            assertThatThrownBy(() -> db.get(b("a"), CACHED_ONLY)).isInstanceOf(NotCachedException.class);
            assertThatThrownBy(() -> db.get(b("c"), CACHED_ONLY))
                    .as("a key inside the table's range: its bloom filter is only known once it is open")
                    .isInstanceOf(NotCachedException.class);
            assertThat(db.get(b("z"), CACHED_ONLY)).as("newer, in the memtable").isEqualTo(b("3"));
            assertThat(db.get(b("y"), CACHED_ONLY))
                    .as("outside every table's range")
                    .isNull();

            assertThat(db.get(b("a"))).as("the read that may block").isEqualTo(b("1"));
            assertThat(db.get(b("a"), CACHED_ONLY)).as("now cached").isEqualTo(b("1"));
            assertThat(db.get(b("m"), CACHED_ONLY)).as("same block").isEqualTo(b("2"));
            assertThat(db.get(b("c"), CACHED_ONLY))
                    .as("open table, bloom filter in memory")
                    .isNull();
        }
    }

    @Test
    void withoutABlockCacheEveryTableReadNeedsTheFile() {
        Options options = new Options().blockCacheSize(0);
        try (StrataDb db = StrataDb.open(dir, options)) {
            db.put(b("a"), b("1"));
            db.flush();
            assertThat(db.get(b("a"))).isEqualTo(b("1"));
            assertThatThrownBy(() -> db.get(b("a"), CACHED_ONLY)).isInstanceOf(NotCachedException.class);
        }
    }

    @Test
    void iteratorsRefuseIt() {
        try (StrataDb db = StrataDb.open(dir)) {
            assertThatThrownBy(() -> db.iterator(new ReadOptions().cachedOnly(true)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cachedOnly");
        }
    }
}
