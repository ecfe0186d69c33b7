package io.strata.bench;

import io.strata.Options;
import io.strata.StrataDb;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import java.nio.file.Path;
import java.util.List;

/** Strata under test: its WAL on, synced per write only when the workload syncs. */
final class StrataStore implements BenchStore {
    private final StrataDb db;

    private StrataStore(StrataDb db) {
        this.db = db;
    }

    static BenchStore open(Path dir, StoreOptions o) {
        return new StrataStore(StrataDb.open(
                dir,
                new Options()
                        .writeBufferSize(o.writeBufferBytes())
                        .blockCacheSize(o.cacheBytes())
                        .bloomBitsPerKey(o.bloomBitsPerKey())
                        .blockSize(o.blockSize())
                        .compression(o.compression())
                        .syncWal(o.sync())));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        db.put(key, value);
    }

    @Override
    public byte[] get(byte[] key) {
        return db.get(key);
    }

    @Override
    public void delete(byte[] key) {
        db.delete(key);
    }

    @Override
    public void putBatch(List<byte[]> keys, List<byte[]> values) {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < keys.size(); i++) {
            batch.put(keys.get(i), values.get(i));
        }
        db.write(batch);
    }

    @Override
    public StoreCursor cursor() {
        StrataIterator it = db.iterator();
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
                return it.valid();
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
            public void seekToLast() {
                it.seekToLast();
            }

            @Override
            public void next() {
                it.next();
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
    public void flush() {
        db.flush();
    }

    @Override
    public void close() {
        db.close();
    }
}
