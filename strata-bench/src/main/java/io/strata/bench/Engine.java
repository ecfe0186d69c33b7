package io.strata.bench;

import io.strata.Compression;
import io.strata.Options;
import io.strata.Statistics;
import io.strata.StrataDb;
import java.io.File;
import java.nio.file.Path;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.impl.Iq80DBFactory;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;

/**
 * The stores a benchmark can run against, each configured alike: 64 MiB write buffer, 4 KiB
 * blocks, 10-bit bloom filters where the store has them, no fsync per write, and the
 * compression asked for (iq80 LevelDB has neither LZ4 nor Zstd: it always runs uncompressed).
 */
enum Engine {
    STRATA {
        @Override
        BenchStore open(Path dir, Compression compression) {
            StrataDb db = StrataDb.open(
                    dir, new Options().writeBufferSize(WRITE_BUFFER).compression(compression));
            return new BenchStore() {
                @Override
                public void put(byte[] k, byte[] v) {
                    db.put(k, v);
                }

                @Override
                public byte[] get(byte[] k) {
                    return db.get(k);
                }

                @Override
                public void flush() {
                    db.flush();
                }

                @Override
                public String describe() {
                    Statistics st = db.statistics();
                    return String.format(
                            "  write-amp %.2f, compactions %d, files per level %s, stalled writes %s"
                                    + " (%s), stall ms %s",
                            st.writeAmplification(),
                            st.compactions(),
                            st.filesPerLevel(),
                            st.stallWrites(),
                            String.join("/", Statistics.STALL_REASONS),
                            st.stallMillis());
                }

                @Override
                public void close() {
                    db.close();
                }
            };
        }
    },
    ROCKSDB {
        @Override
        BenchStore open(Path dir, Compression compression) throws Exception {
            RocksDB.loadLibrary();
            org.rocksdb.BlockBasedTableConfig table = new org.rocksdb.BlockBasedTableConfig()
                    .setBlockSize(4096)
                    .setFilterPolicy(new org.rocksdb.BloomFilter(10));
            org.rocksdb.Options options = new org.rocksdb.Options()
                    .setCreateIfMissing(true)
                    .setWriteBufferSize(WRITE_BUFFER)
                    .setCompressionType(
                            switch (compression) {
                                case NONE -> org.rocksdb.CompressionType.NO_COMPRESSION;
                                case LZ4 -> org.rocksdb.CompressionType.LZ4_COMPRESSION;
                                case ZSTD -> org.rocksdb.CompressionType.ZSTD_COMPRESSION;
                            })
                    .setTableFormatConfig(table);
            RocksDB db = RocksDB.open(options, dir.toString());
            return new BenchStore() {
                @Override
                public void put(byte[] k, byte[] v) throws Exception {
                    db.put(k, v);
                }

                @Override
                public byte[] get(byte[] k) throws Exception {
                    return db.get(k);
                }

                @Override
                public void flush() throws Exception {
                    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
                        db.flush(fo);
                    }
                }

                @Override
                public void close() {
                    db.close();
                    options.close();
                }
            };
        }
    },
    LEVELDB {
        @Override
        boolean supports(Compression compression) {
            return compression == Compression.NONE;
        }

        @Override
        BenchStore open(Path dir, Compression compression) throws Exception {
            org.iq80.leveldb.Options options = new org.iq80.leveldb.Options()
                    .createIfMissing(true)
                    .writeBufferSize(WRITE_BUFFER)
                    .blockSize(4096)
                    .compressionType(CompressionType.NONE);
            org.iq80.leveldb.DB db = Iq80DBFactory.factory.open(new File(dir.toString()), options);
            return new BenchStore() {
                @Override
                public void put(byte[] k, byte[] v) {
                    db.put(k, v);
                }

                @Override
                public byte[] get(byte[] k) {
                    return db.get(k);
                }

                @Override
                public void flush() {
                    // iq80 LevelDB has no flush call; its reads cover the memtable.
                }

                @Override
                public void close() throws Exception {
                    db.close();
                }
            };
        }
    };

    static final int WRITE_BUFFER = 64 << 20;

    abstract BenchStore open(Path dir, Compression compression) throws Exception;

    /** Whether the store can compress with {@code compression}. */
    boolean supports(Compression compression) {
        return true;
    }
}
