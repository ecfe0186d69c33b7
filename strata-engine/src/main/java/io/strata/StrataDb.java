package io.strata;

import io.strata.db.DbImpl;
import java.nio.file.Path;

/**
 * An open Strata store: a sorted map from byte-array keys to byte-array values, kept in a
 * directory. All methods are thread-safe. Close the store to release its directory lock.
 *
 * <p>Errors a caller may act on have their own types; every message says what happened and what
 * became of the data:
 *
 * <ul>
 *   <li>{@link StoreClosedException} (an {@link IllegalStateException}): the store was used after
 *       {@link #close()}.
 *   <li>{@link ReadOnlyStoreException}: a change was asked of a store opened with {@link
 *       Options#readOnly(boolean)}.
 *   <li>{@link StoreLockedException}: {@link #open} found the directory locked by another open
 *       store.
 *   <li>{@link WritesStoppedException}: a write-ahead-log failure (a failed fsync) stopped all
 *       writes until the store is reopened; reads go on.
 *   <li>{@link DiskFullException}: a write or flush failed on a full disk; nothing of it was
 *       written, what was written before is safe, and writes succeed again once space is freed.
 *   <li>{@link CorruptionException}: stored data failed a check; no wrong data is ever returned.
 *   <li>{@link StrataException}: the base of them all but the first, and the type of any other
 *       I/O failure.
 * </ul>
 *
 * <pre>{@code
 * try (StrataDb db = StrataDb.open(Path.of("data"))) {
 *     db.put("k".getBytes(UTF_8), "v".getBytes(UTF_8));
 *     byte[] v = db.get("k".getBytes(UTF_8));
 * }
 * }</pre>
 */
public interface StrataDb extends AutoCloseable {

    static StrataDb open(Path dir) {
        return open(dir, new Options());
    }

    /**
     * Opens (or, with {@link Options#createIfMissing}, creates) the store in {@code dir},
     * recovering every write acknowledged before the last close or crash. With
     * {@link Options#readOnly} the store is opened without writing anything to the directory,
     * and every method that would change it throws a {@link ReadOnlyStoreException}.
     *
     * @throws StoreLockedException if the directory is locked by another open store
     * @throws CorruptionException if it holds data that fails a check
     * @throws StrataException if it cannot be read, or holds no store and {@code createIfMissing}
     *     is off
     */
    static StrataDb open(Path dir, Options options) {
        return DbImpl.open(dir, options);
    }

    void put(byte[] key, byte[] value);

    void put(byte[] key, byte[] value, WriteOptions options);

    /** The value of {@code key}, or null if it has none. */
    byte[] get(byte[] key);

    byte[] get(byte[] key, ReadOptions options);

    /** Removes {@code key}; removing an absent key is not an error. */
    void delete(byte[] key);

    void delete(byte[] key, WriteOptions options);

    /** Applies the batch atomically. */
    void write(WriteBatch batch);

    void write(WriteBatch batch, WriteOptions options);

    Snapshot snapshot();

    StrataIterator iterator();

    StrataIterator iterator(ReadOptions options);

    /**
     * Writes every memtable holding data to an SSTable and waits until they are installed. With
     * the WAL off ({@link Options#disableWal}) that makes everything written before the call
     * durable, and {@link #durableMarker()} then returns the marker of the newest batch written
     * before it (of those that had one).
     */
    void flush();

    /**
     * Compacts every file holding keys in [begin, end] (null = unbounded on that side) down
     * to the deepest level holding any of them, after flushing the memtables, and waits.
     * Afterwards the range's data sits in one level, without the versions and tombstones no
     * live snapshot can see. Reads and writes go on meanwhile.
     */
    void compactRange(byte[] begin, byte[] end);

    /**
     * Writes a consistent, openable copy of the store into {@code target}, which must not
     * exist: its tables as hard links (copies where linking is impossible), its WAL segments
     * and a MANIFEST as copies. Opening the copy yields every write acknowledged before this
     * call began and, of the writes made meanwhile, a prefix. Writes go on during the call.
     * With the WAL off the memtables are flushed first (there is no WAL to copy) and the copy
     * holds exactly its tables. The copy's MANIFEST carries the marker of what its tables hold,
     * so {@link #durableMarker()} on the opened copy never names a batch the copy lacks; with
     * the WAL off it names the newest batch the copy holds (of those with a marker).
     */
    void checkpoint(Path target);

    /**
     * The marker ({@link WriteBatch#marker(byte[])}) of the newest batch whose data is durable in
     * the store's tables, or null if no flushed batch had one: a flush records the marker of the
     * newest batch of the memtable it writes, in the same MANIFEST edit that installs its table.
     * Every batch committed before that one (with or without a marker) is durable too, and no
     * batch committed after it is claimed. After a crash and reopen it returns what it returned
     * when the last flush before the crash was installed.
     *
     * <p>With the WAL off ({@link Options#disableWal}) this is exactly the position up to which a
     * crash loses nothing: the store holds every batch up to the one this names and, of those
     * after it, none with a higher marker. With the WAL on it is the same value, the newest
     * flushed marker (the WAL does not hold markers): the store may hold more than it says,
     * since the WAL recovers writes not yet flushed, but never less.
     */
    byte[] durableMarker();

    /** The store's counters and shape now, for metrics. */
    Statistics statistics();

    /**
     * A named property of the store, or null for an unknown name. Known names:
     * {@code strata.num-immutable-memtables}, {@code strata.num-files-at-level<N>},
     * {@code strata.last-sequence}, {@code strata.memtable-bytes}, {@code strata.write-stalls},
     * {@code strata.background-error}, {@code strata.compaction-error},
     * {@code strata.live-sst-bytes}, {@code strata.flushes}, {@code strata.wal-enabled} ({@code true}
     * or {@code false}: false with {@link Options#disableWal} and for a read-only open, which
     * writes no log), {@code strata.compactions},
     * {@code strata.write-amplification}, {@code strata.block-cache-hit-ratio} (hits / lookups
     * since open, 4 decimals), {@code strata.block-cache-usage} (bytes), {@code strata.open-tables},
     * {@code strata.stats}.
     */
    String getProperty(String name);

    /**
     * Flushes nothing; waits for the background flush in progress, syncs the WAL, unlocks
     * (read-only: closes the files). With the WAL off ({@link Options#disableWal}) it writes
     * every memtable to a table first, so every acknowledged write is kept; if that fails it
     * still closes, and throws saying so.
     */
    @Override
    void close();
}
