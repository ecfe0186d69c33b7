package io.strata.bench;

import io.strata.Compression;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The stores a benchmark can run against, each opened with the same {@link StoreOptions} as far
 * as it has the setting (iq80 LevelDB has no bloom filters and no LZ4 or Zstd; LMDB has no write
 * buffer, block cache, filters, blocks or compression).
 */
enum Engine {
    STRATA(true, true) {
        @Override
        BenchStore open(Path dir, StoreOptions options) {
            return StrataStore.open(dir, options);
        }
    },
    ROCKSDB(true, true) {
        @Override
        BenchStore open(Path dir, StoreOptions options) throws Exception {
            return RocksStore.open(dir, options);
        }
    },
    LEVELDB(false, false) {
        @Override
        BenchStore open(Path dir, StoreOptions options) throws Exception {
            return LevelDbStore.open(dir, options);
        }
    },
    LMDB(false, true) {
        @Override
        BenchStore open(Path dir, StoreOptions options) {
            return LmdbStore.open(dir, options);
        }
    };

    private final boolean compresses;
    private final boolean iteratesBackwards;

    Engine(boolean compresses, boolean iteratesBackwards) {
        this.compresses = compresses;
        this.iteratesBackwards = iteratesBackwards;
    }

    abstract BenchStore open(Path dir, StoreOptions options) throws Exception;

    /** Whether the store can compress with {@code compression}. */
    boolean supports(Compression compression) {
        return compression == Compression.NONE || compresses;
    }

    /** Whether its cursors move backwards (readreverse runs only where they do). */
    boolean iteratesBackwards() {
        return iteratesBackwards;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
