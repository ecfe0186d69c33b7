package io.strata.bench;

import java.nio.file.Path;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** RocksJava under test: its WAL on, each write synced only when the workload syncs. */
final class RocksStore implements BenchStore {
    private final RocksDB db;
    // Native objects the store holds; closed after it, in reverse order of creation.
    private final LRUCache cache;
    private final BloomFilter bloom;
    private final Options options;
    private final WriteOptions writeOptions;

    private RocksStore(Path dir, StoreOptions o) throws Exception {
        RocksDB.loadLibrary();
        cache = new LRUCache(o.cacheBytes());
        bloom = new BloomFilter(o.bloomBitsPerKey());
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockSize(o.blockSize())
                .setBlockCache(cache)
                .setFilterPolicy(bloom);
        options = new Options()
                .setCreateIfMissing(true)
                .setWriteBufferSize(o.writeBufferBytes())
                .setCompressionType(
                        switch (o.compression()) {
                            case NONE -> CompressionType.NO_COMPRESSION;
                            case LZ4 -> CompressionType.LZ4_COMPRESSION;
                            case ZSTD -> CompressionType.ZSTD_COMPRESSION;
                        })
                .setTableFormatConfig(table);
        writeOptions = new WriteOptions().setSync(o.sync());
        db = RocksDB.open(options, dir.toString());
    }

    static BenchStore open(Path dir, StoreOptions o) throws Exception {
        return new RocksStore(dir, o);
    }

    @Override
    public void put(byte[] key, byte[] value) throws Exception {
        db.put(writeOptions, key, value);
    }

    @Override
    public byte[] get(byte[] key) throws Exception {
        return db.get(key);
    }

    @Override
    public void delete(byte[] key) throws Exception {
        db.delete(writeOptions, key);
    }

    @Override
    public void putBatch(List<byte[]> keys, List<byte[]> values) throws Exception {
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < keys.size(); i++) {
                batch.put(keys.get(i), values.get(i));
            }
            db.write(writeOptions, batch);
        }
    }

    @Override
    public StoreCursor cursor() {
        RocksIterator it = db.newIterator();
        return new StoreCursor() {
            @Override
            public void seekToFirst() {
                it.seekToFirst();
            }

            @Override
            public void seek(byte[] key) {
                it.seek(key);
            }

            @Override
            public boolean valid() {
                return it.isValid();
            }

            @Override
            public byte[] key() {
                return it.key();
            }

            @Override
            public byte[] value() {
                return it.value();
            }

            @Override
            public void next() {
                it.next();
            }

            @Override
            public void seekToLast() {
                it.seekToLast();
            }

            @Override
            public void prev() {
                it.prev();
            }

            @Override
            public void close() {
                it.close();
            }
        };
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
        writeOptions.close();
        options.close();
        bloom.close();
        cache.close();
    }
}
