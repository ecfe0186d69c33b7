package io.strata.server.store;

import io.strata.Limits;
import io.strata.ReadOptions;
import io.strata.Snapshot;
import io.strata.Statistics;
import io.strata.StrataDb;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import io.strata.WriteOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One EXEC's view of the store: reads see the transaction's own writes over the store beneath,
 * and writes stay here until {@link #addTo} hands them over, to be stored as one batch. The
 * store beneath does not change meanwhile (EXEC holds every stripe lock, so no other command
 * writes). Administration (flush, compaction, checkpoint, statistics) is the store's own.
 *
 * <p>Bounded: once the writes would exceed one engine batch ({@link Limits#MAX_BATCH_SIZE}) the
 * write that would pass the limit fails, and so does the transaction ({@link #tooLarge}).
 *
 * <p>Confined to the command thread running the EXEC.
 */
final class OverlayStore implements StrataDb {
    /** {@link Map#getOrDefault}'s answer for a key not written here (compared by identity). */
    private static final byte[] NOT_WRITTEN = new byte[0];

    private final StrataDb base;
    /** Each key written, in the engine's order, with its engine value or null for a deletion. */
    private final NavigableMap<byte[], byte[]> written = new TreeMap<>(Arrays::compareUnsigned);
    /** What {@link #written} adds to a batch: keys, values and a few bytes per record. */
    private long bytes;

    private String tooLarge;

    OverlayStore(StrataDb base) {
        this.base = base;
    }

    /** Why the transaction cannot be stored (its writes outgrew one batch), or null. */
    String tooLarge() {
        return tooLarge;
    }

    /** Adds the transaction's writes, one per key, to {@code writes}. */
    void addTo(Writes writes) {
        written.forEach(writes::addEncoded);
    }

    private void record(byte[] key, byte[] value) {
        // The engine's own checks, which the batch would make only when the transaction is stored.
        if (!Keyspace.storable(key)) {
            throw new IllegalArgumentException(
                    "key is " + key.length + " bytes; it must be 1 to " + Limits.MAX_KEY_SIZE);
        }
        if (value != null && value.length > Limits.MAX_VALUE_SIZE) {
            throw new IllegalArgumentException(
                    "value is " + value.length + " bytes; the limit is " + Limits.MAX_VALUE_SIZE);
        }
        long size = (long) key.length + (value == null ? 0 : value.length) + Writes.ENTRY_OVERHEAD;
        byte[] old = written.getOrDefault(key, NOT_WRITTEN);
        long before =
                old == NOT_WRITTEN ? 0 : (long) key.length + (old == null ? 0 : old.length) + Writes.ENTRY_OVERHEAD;
        if (bytes - before + size + WriteBatch.HEADER_SIZE > Limits.MAX_BATCH_SIZE) {
            tooLarge = "ERR Strata: the transaction's writes exceed one engine batch (" + Limits.MAX_BATCH_SIZE
                    + " bytes); nothing was written";
            throw new IllegalArgumentException(tooLarge.substring("ERR ".length()));
        }
        written.put(key.clone(), value);
        bytes += size - before;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        record(key, value);
    }

    @Override
    public void put(byte[] key, byte[] value, WriteOptions options) {
        put(key, value);
    }

    @Override
    public byte[] get(byte[] key) {
        byte[] v = written.getOrDefault(key, NOT_WRITTEN);
        return v == NOT_WRITTEN ? base.get(key) : v;
    }

    /** Options with a snapshot would read around the transaction's writes: refused. */
    @Override
    public byte[] get(byte[] key, ReadOptions options) {
        requireNoSnapshot(options);
        return get(key);
    }

    @Override
    public void delete(byte[] key) {
        record(key, null);
    }

    @Override
    public void delete(byte[] key, WriteOptions options) {
        delete(key);
    }

    /** The keyspace adds a command's writes key by key ({@link Keyspace#write(Writes)}), never as a batch. */
    @Override
    public void write(WriteBatch batch) {
        throw new UnsupportedOperationException("a transaction's writes are added through the keyspace");
    }

    @Override
    public void write(WriteBatch batch, WriteOptions options) {
        write(batch);
    }

    @Override
    public Snapshot snapshot() {
        throw new UnsupportedOperationException("a snapshot cannot hold a transaction's writes");
    }

    @Override
    public StrataIterator iterator() {
        return iterator(new ReadOptions());
    }

    @Override
    public StrataIterator iterator(ReadOptions options) {
        requireNoSnapshot(options);
        byte[] lower = options.lowerBound();
        byte[] upper = options.upperBound();
        NavigableMap<byte[], byte[]> range = written;
        if (lower != null && upper != null && Arrays.compareUnsigned(lower, upper) >= 0) {
            // An empty range, as the store's iterator sees it (a sub-map would refuse the bounds).
            range = new TreeMap<>(Arrays::compareUnsigned);
        } else {
            if (lower != null) {
                range = range.tailMap(lower, true);
            }
            if (upper != null) {
                range = range.headMap(upper, false);
            }
        }
        return new OverlayIterator(base.iterator(options), range);
    }

    private static void requireNoSnapshot(ReadOptions options) {
        if (options.snapshot() != null) {
            throw new UnsupportedOperationException("a snapshot cannot hold a transaction's writes");
        }
    }

    @Override
    public void flush() {
        base.flush();
    }

    @Override
    public void compactRange(byte[] begin, byte[] end) {
        base.compactRange(begin, end);
    }

    @Override
    public void checkpoint(Path target) {
        base.checkpoint(target);
    }

    @Override
    public byte[] durableMarker() {
        return base.durableMarker();
    }

    @Override
    public Statistics statistics() {
        return base.statistics();
    }

    @Override
    public String getProperty(String name) {
        return base.getProperty(name);
    }

    /** The view is not the store's owner: closing it would close nothing. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("a transaction's view of the store is not closed");
    }
}
