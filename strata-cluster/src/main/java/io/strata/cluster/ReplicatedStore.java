package io.strata.cluster;

import io.strata.ReadOptions;
import io.strata.Snapshot;
import io.strata.Statistics;
import io.strata.StrataDb;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import io.strata.WriteOptions;
import java.nio.file.Path;

/**
 * The store a cluster node's server runs over: reads go to this node's engine; every write is
 * proposed through Raft and returns once committed and applied here ({@link ClusterNode#propose}),
 * never written to the engine directly. Administration (flush, compaction, checkpoint,
 * statistics) is this node's own.
 */
final class ReplicatedStore implements StrataDb {
    private final LocalEngine engine;
    private final ClusterNode node;

    ReplicatedStore(LocalEngine engine, ClusterNode node) {
        this.engine = engine;
        this.node = node;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        node.propose(new WriteBatch().put(key, value));
    }

    /** The Raft log makes every write durable on a majority; the options change nothing. */
    @Override
    public void put(byte[] key, byte[] value, WriteOptions options) {
        put(key, value);
    }

    @Override
    public byte[] get(byte[] key) {
        return engine.read(db -> db.get(key));
    }

    @Override
    public byte[] get(byte[] key, ReadOptions options) {
        return engine.read(db -> db.get(key, options));
    }

    @Override
    public void delete(byte[] key) {
        node.propose(new WriteBatch().delete(key));
    }

    @Override
    public void delete(byte[] key, WriteOptions options) {
        delete(key);
    }

    @Override
    public void write(WriteBatch batch) {
        node.propose(batch);
    }

    @Override
    public void write(WriteBatch batch, WriteOptions options) {
        write(batch);
    }

    @Override
    public Snapshot snapshot() {
        return engine.read(StrataDb::snapshot);
    }

    @Override
    public StrataIterator iterator() {
        return engine.read(StrataDb::iterator);
    }

    @Override
    public StrataIterator iterator(ReadOptions options) {
        return engine.read(db -> db.iterator(options));
    }

    @Override
    public void flush() {
        engine.read(db -> {
            db.flush();
            return null;
        });
    }

    @Override
    public void compactRange(byte[] begin, byte[] end) {
        engine.read(db -> {
            db.compactRange(begin, end);
            return null;
        });
    }

    @Override
    public void checkpoint(Path target) {
        engine.read(db -> {
            db.checkpoint(target);
            return null;
        });
    }

    @Override
    public Statistics statistics() {
        return engine.read(StrataDb::statistics);
    }

    @Override
    public String getProperty(String name) {
        return engine.read(db -> db.getProperty(name));
    }

    @Override
    public byte[] durableMarker() {
        return engine.read(StrataDb::durableMarker);
    }

    /** Leaves the group and closes the engine (which flushes it: its WAL is off). */
    @Override
    public void close() {
        node.close();
    }
}
