package io.strata.memtable;

import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;

/**
 * An in-memory sorted table of internal keys: entries encoded into large byte arrays
 * ({@link MemTableEntries}) and ordered by a skip list whose nodes live in large long arrays
 * ({@link SkipList}), with a hash table of each key's newest entry for point reads
 * ({@link NewestVersions}). However many entries it holds, a memtable is a few arrays of up to 256 KiB
 * per MiB (a few hundred for 64 MiB, where it used to be millions of objects), which the garbage
 * collector copies at memory speed and need not trace; reads hand out copies, which die young.
 *
 * <p><b>Threads.</b> Exactly one thread at a time calls {@link #add}: the engine's group-commit
 * leader (the head of {@code DbImpl.writers}, which inserts with the mutex released; leaders
 * follow one another through {@code DbImpl.mutex}, which orders their inserts), or the single
 * thread replaying the WAL in {@code Recovery} or decoding a record in {@code WalRecords}, each
 * on a memtable of its own. Any number of threads read at the same time as that writer: gets,
 * iterators, the flush thread writing an immutable table to disk. Readers take no lock and never
 * see a partly written entry (see {@link SkipList} for the publication protocol); they do see
 * entries added after they started, so they filter by sequence.
 *
 * <p>Each memtable is paired with the WAL segment that logs its writes: the segment may be
 * deleted once this table's SSTable is recorded in the MANIFEST. (With the WAL off the number is
 * the one the segment would have had, and no segment exists.)
 *
 * <p>It also keeps the marker of the newest batch applied to it that had one ({@link #marker}),
 * which its flush records in the MANIFEST beside its table.
 */
public final class MemTable {
    private static final VarHandle MEMORY_USAGE;

    static {
        try {
            MEMORY_USAGE = MethodHandles.lookup().findVarHandle(MemTable.class, "memoryUsage", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemTableEntries entries = new MemTableEntries();
    private final SkipList index = new SkipList(entries);
    private final NewestVersions newest;
    private final long walNumber;
    /** Arena bytes allocated (entries and nodes). Written by the writer (release), read by anyone. */
    private volatile long memoryUsage;
    /**
     * The marker of the newest batch applied that had one, or null. Written by the one writer
     * after the batch's entries (see the class comment), read by the flush; never changed by
     * anyone else, and the array is never modified. Volatile: the flush reads it on another thread.
     */
    private volatile byte[] marker;

    public MemTable(long walNumber) {
        this(walNumber, NewestVersions.MAX_KEYS);
    }

    /** With the newest-version table bounded to {@code newestKeys} keys: for tests past the bound. */
    MemTable(long walNumber, int newestKeys) {
        this.walNumber = walNumber;
        this.newest = new NewestVersions(entries, newestKeys);
    }

    /** The number of the WAL segment holding this table's writes. */
    public long walNumber() {
        return walNumber;
    }

    /**
     * Inserts an entry (copying both arrays). {@code value} is empty for a tombstone. An internal
     * key already present has its value replaced (sequences are unique, so only a corrupt log
     * repeats a key). Only one thread at a time may call this (see the class comment).
     */
    public void add(byte[] internalKey, byte[] value) {
        add(
                internalKey,
                0,
                InternalKey.userKeyLength(internalKey),
                InternalKey.trailer(internalKey),
                value,
                0,
                value.length);
    }

    /**
     * Inserts the entry of user key {@code userKey[keyOff, keyOff + keyLen)} with the trailer
     * {@code (sequence << 8) | type} and value {@code value[valueOff, valueOff + valueLen)},
     * copying the bytes straight into the arena, as {@link #add(byte[], byte[])}.
     */
    public void add(byte[] userKey, int keyOff, int keyLen, long trailer, byte[] value, int valueOff, int valueLen) {
        long entry = entries.add(userKey, keyOff, keyLen, trailer, value, valueOff, valueLen);
        index.insert(entry);
        newest.add(entry, userKey, keyOff, keyLen);
        MEMORY_USAGE.setRelease(this, entries.usedBytes() + index.usedBytes() + newest.usedBytes());
    }

    /**
     * Records {@code m} (not null, not modified afterwards) as the marker of the newest batch
     * applied. Called by the writer after inserting that batch's entries.
     */
    public void marker(byte[] m) {
        this.marker = m;
    }

    /**
     * The marker of the newest batch applied that had one, or null; the array must not be
     * modified.
     */
    public byte[] marker() {
        return marker;
    }

    /**
     * Whether a flush would record nothing: no entries and no marker (a batch may carry a marker
     * alone).
     */
    public boolean holdsNothing() {
        return isEmpty() && marker == null;
    }

    /**
     * The first entry at or after {@code seekKey} if it has the same user key, else null: for a
     * seek key built with sequence s, the newest version of that key visible at s. The key and
     * value are copies.
     */
    public Map.Entry<byte[], byte[]> get(byte[] seekKey) {
        long entry = find(seekKey);
        return entry == NONE ? null : Map.entry(entries.key(entry), entries.value(entry));
    }

    /**
     * What {@link #get} finds, as the store's read path needs it: a copy of the value,
     * {@link ValueType#DELETED} for a deletion, or null; allocates only the value.
     */
    public byte[] getValue(byte[] seekKey) {
        long entry = find(seekKey);
        if (entry == NONE) {
            return null;
        }
        return (entries.trailer(entry) & 0xff) == ValueType.VALUE ? entries.value(entry) : ValueType.DELETED;
    }

    /** What {@link #find} answers when there is no entry. */
    private static final long NONE = NewestVersions.NONE;

    /**
     * The address of the entry {@link #get} answers with, or {@link #NONE}: the key's newest entry
     * when the reader's sequence sees it (see {@link NewestVersions} for why that is safe), else
     * the skip list's answer.
     */
    private long find(byte[] seekKey) {
        long found = newest.find(seekKey, seekKey.length - InternalKey.TRAILER_SIZE);
        if (found == NONE) {
            return NONE;
        }
        if (found != NewestVersions.UNKNOWN
                && Long.compareUnsigned(entries.trailer(found), InternalKey.trailer(seekKey)) <= 0) {
            return found;
        }
        long node = index.seek(seekKey);
        if (node == 0) {
            return NONE;
        }
        long entry = index.entry(node);
        return entries.hasUserKey(entry, seekKey) ? entry : NONE;
    }

    /**
     * Bytes of the arrays holding this table's entries and skip-list nodes, including the unused
     * ends of filled chunks (not the unused rest of the chunk being filled): what the table costs
     * in heap, give or take one chunk.
     */
    public long approximateMemoryUsage() {
        return memoryUsage;
    }

    public boolean isEmpty() {
        return index.isEmpty();
    }

    /**
     * An iterator whose key() and value() are copies. It sees entries added after it was made
     * (which readers filter by sequence); where it stands, it stays.
     */
    public InternalIterator iterator() {
        return new MemTableIterator(index, entries);
    }
}
