package io.strata.cache;

import static io.strata.cache.CacheTestTables.seekKey;
import static io.strata.cache.CacheTestTables.value;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.Options;
import io.strata.StrataDb;
import io.strata.fs.LocalFileSystem;
import io.strata.iterator.InternalIterator;
import io.strata.sstable.Table;
import io.strata.version.FileMetaData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared block cache: what counts as a hit, the weight bound, and the store's properties. */
class BlockCacheTest {
    @TempDir
    Path dir;

    private static String s(byte[] b) {
        return new String(b, UTF_8);
    }

    @Test
    void aRepeatedGetHitsTheCacheAndAnAbsentKeyReadsNoBlock() throws IOException {
        BlockCache cache = new BlockCache(1 << 20);
        FileMetaData f = CacheTestTables.write(LocalFileSystem.INSTANCE, dir, 7, 2000, 4096);
        try (TableCache tables = new TableCache(LocalFileSystem.INSTANCE, dir, 100, cache)) {
            assertThat(s(tables.getValue(f, seekKey(7, 10)))).isEqualTo(value(7, 10));
            assertThat(cache.hits()).isZero();
            assertThat(cache.misses()).isEqualTo(1);

            assertThat(s(tables.getValue(f, seekKey(7, 10)))).isEqualTo(value(7, 10));
            assertThat(s(tables.getValue(f, seekKey(7, 11)))).as("same block").isEqualTo(value(7, 11));
            assertThat(cache.hits()).isEqualTo(2);
            assertThat(cache.misses()).isEqualTo(1);
            assertThat(cache.hitRatio()).isEqualTo(2.0 / 3);
            assertThat(cache.blockCount()).isEqualTo(1);
            assertThat(cache.usedBytes()).isPositive();

            // The bloom filter answers for a key the table does not hold: no block is looked up.
            int absentLookups = 0;
            for (int i = 0; i < 200; i++) {
                assertThat(tables.getValue(f, seekKey(8, i))).isNull();
            }
            absentLookups += (int) (cache.hits() + cache.misses() - 3);
            assertThat(absentLookups)
                    .as("block lookups for 200 absent keys (bloom false positives)")
                    .isLessThan(10);

            // A scan reads every block; a second scan finds them all cached.
            long missesBefore = cache.misses();
            int n = scan(tables, f);
            long blocks = cache.misses() - missesBefore + 1; // block 0 was cached already
            assertThat(n).isEqualTo(2000);
            long hitsBefore = cache.hits();
            scan(tables, f);
            assertThat(cache.misses() - missesBefore)
                    .as("no misses on the second scan")
                    .isEqualTo(blocks - 1);
            assertThat(cache.hits() - hitsBefore).isEqualTo(blocks);
        }
    }

    private static int scan(TableCache tables, FileMetaData f) {
        int n = 0;
        try (InternalIterator it = tables.iterator(f)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void cacheIsBoundedByTheBytesOfItsBlocks() throws IOException {
        long capacity = 64 * 1024;
        BlockCache cache = new BlockCache(capacity);
        FileMetaData[] files = new FileMetaData[4];
        for (int t = 0; t < files.length; t++) {
            files[t] = CacheTestTables.write(LocalFileSystem.INSTANCE, dir, 10 + t, 5000, 4096);
        }
        try (TableCache tables = new TableCache(LocalFileSystem.INSTANCE, dir, 100, cache)) {
            long blocksRead = 0;
            for (int round = 0; round < 3; round++) {
                for (FileMetaData f : files) {
                    long before = cache.misses();
                    assertThat(scan(tables, f)).isEqualTo(5000);
                    blocksRead += cache.misses() - before;
                    cache.cleanUp();
                    assertThat(cache.usedBytes())
                            .as("used bytes after scanning %d", f.number())
                            .isLessThanOrEqualTo(capacity);
                }
            }
            System.out.printf(
                    "BlockCacheTest: %d blocks read, %d cached in %d of %d bytes%n",
                    blocksRead, cache.blockCount(), cache.usedBytes(), capacity);
            assertThat(cache.usedBytes()).as("the cache fills up").isGreaterThan(capacity / 2);
            assertThat(cache.blockCount()).isLessThan(blocksRead / 3);
            // Blocks evicted while a reader had them stay usable: every key still reads back.
            for (FileMetaData f : files) {
                for (int i = 0; i < 5000; i += 97) {
                    assertThat(s(tables.getValue(f, seekKey(f.number(), i)))).isEqualTo(value(f.number(), i));
                }
            }
        }
    }

    @Test
    void evictingATableDropsItsBlocks() throws IOException {
        BlockCache cache = new BlockCache(8 << 20);
        FileMetaData a = CacheTestTables.write(LocalFileSystem.INSTANCE, dir, 1, 3000, 4096);
        FileMetaData b = CacheTestTables.write(LocalFileSystem.INSTANCE, dir, 2, 3000, 4096);
        try (TableCache tables = new TableCache(LocalFileSystem.INSTANCE, dir, 100, cache)) {
            scan(tables, a);
            scan(tables, b);
            long both = cache.blockCount();
            tables.evict(1);
            cache.cleanUp();
            assertThat(cache.blockCount()).isEqualTo(both / 2);
            assertThat(tables.openFiles()).isEqualTo(1);
            assertThat(s(tables.getValue(a, seekKey(1, 5)))).as("reopened").isEqualTo(value(1, 5));
        }
    }

    @Test
    void tableWithoutACacheReadsEveryTime() throws IOException {
        FileMetaData f = CacheTestTables.write(LocalFileSystem.INSTANCE, dir, 3, 500, 4096);
        try (Table t = Table.open(
                LocalFileSystem.INSTANCE.openReadable(dir.resolve("000003.sst")), "000003.sst", f.fileSize())) {
            assertThat(s(t.get(seekKey(3, 1)).value())).isEqualTo(value(3, 1));
            assertThat(t.pinnedBytes()).isPositive();
        }
    }

    @Test
    void storeReportsHitsMissesAndUsageAndCanRunWithoutACache() {
        for (long size : new long[] {8 << 20, 0}) {
            Path store = dir.resolve("store-" + size);
            try (StrataDb db = StrataDb.open(store, new Options().blockCacheSize(size))) {
                for (int i = 0; i < 1000; i++) {
                    db.put(("k" + i).getBytes(UTF_8), ("v" + i).getBytes(UTF_8));
                }
                db.flush();
                for (int round = 0; round < 5; round++) {
                    assertThat(s(db.get("k500".getBytes(UTF_8)))).isEqualTo("v500");
                }
                String stats = db.getProperty("strata.stats");
                System.out.println("BlockCacheTest: cache " + size + ":\n" + stats);
                assertThat(db.getProperty("strata.open-tables")).isEqualTo("1");
                assertThat(stats).contains("table cache: 1 open tables (limit 1000)");
                if (size == 0) {
                    assertThat(db.getProperty("strata.block-cache-hit-ratio")).isEqualTo("0.0000");
                    assertThat(db.getProperty("strata.block-cache-usage")).isEqualTo("0");
                    assertThat(stats).contains("block cache: disabled");
                } else {
                    assertThat(db.getProperty("strata.block-cache-hit-ratio")).isEqualTo("0.8000");
                    assertThat(Long.parseLong(db.getProperty("strata.block-cache-usage")))
                            .isPositive();
                    assertThat(stats).contains("4 hits, 1 misses");
                }
            }
        }
    }
}
