package io.strata.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.iq80.leveldb.impl.Iq80DBFactory;

/**
 * iq80 LevelDB (LevelDB ported to Java) under test. It has no bloom filters, no compression but
 * Snappy (so it runs uncompressed), no flush call and no backward iteration.
 */
final class LevelDbStore implements BenchStore {
    private final DB db;
    private final WriteOptions writeOptions;

    private LevelDbStore(DB db, WriteOptions writeOptions) {
        this.db = db;
        this.writeOptions = writeOptions;
    }

    static BenchStore open(Path dir, StoreOptions o) throws Exception {
        Options options = new Options()
                .createIfMissing(true)
                .writeBufferSize((int) Math.min(Integer.MAX_VALUE, o.writeBufferBytes()))
                .cacheSize(o.cacheBytes())
                .blockSize(o.blockSize())
                .compressionType(CompressionType.NONE);
        return new LevelDbStore(
                Iq80DBFactory.factory.open(new File(dir.toString()), options), new WriteOptions().sync(o.sync()));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        db.put(key, value, writeOptions);
    }

    @Override
    public byte[] get(byte[] key) {
        return db.get(key);
    }

    @Override
    public void delete(byte[] key) {
        db.delete(key, writeOptions);
    }

    @Override
    public void putBatch(List<byte[]> keys, List<byte[]> values) throws Exception {
        try (WriteBatch batch = db.createWriteBatch()) {
            for (int i = 0; i < keys.size(); i++) {
                batch.put(keys.get(i), values.get(i));
            }
            db.write(batch, writeOptions);
        }
    }

    @Override
    public StoreCursor cursor() {
        DBIterator it = db.iterator();
        // iq80's iterator peeks at the entry ahead; the cursor's position is that entry.
        return new StoreCursor() {
            private Map.Entry<byte[], byte[]> current;

            private void settle() {
                current = it.hasNext() ? it.peekNext() : null;
            }

            @Override
            public void seekToFirst() {
                it.seekToFirst();
                settle();
            }

            @Override
            public void seek(byte[] key) {
                it.seek(key);
                settle();
            }

            @Override
            public boolean valid() {
                return current != null;
            }

            @Override
            public byte[] key() {
                return current.getKey();
            }

            @Override
            public byte[] value() {
                return current.getValue();
            }

            @Override
            public void next() {
                it.next();
                settle();
            }

            @Override
            public void close() throws Exception {
                it.close();
            }
        };
    }

    @Override
    public void flush() {
        // iq80 LevelDB has no flush call; its reads cover the memtable.
    }

    @Override
    public void close() throws Exception {
        db.close();
    }
}
