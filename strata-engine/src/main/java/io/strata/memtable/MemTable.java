package io.strata.memtable;

import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Map;

/**
 * An in-memory sorted table of internal keys: entries encoded into large byte arrays
 * ({@link MemTableEntries}), each key's entries chained newest first from a node of a skip list
 * of user keys whose nodes live in large long arrays ({@link SkipList}), with a hash table from
 * each user key to its node ({@link NodesByKey}), so that a new version of a key the table holds,
 * and a point read, need no walk of the list. However many entries it holds, a memtable is a few
 * arrays of up to 256 KiB per MiB (a few hundred for 64 MiB, where it used to be millions of
 * objects), which the garbage collector copies at memory speed and need not trace; reads hand
 * out copies, which die young.
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
    private final NodesByKey nodes;
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
        this(walNumber, NodesByKey.MAX_KEYS);
    }

    /** With the table of nodes by key bounded to {@code indexedKeys} keys: for tests past the bound. */
    MemTable(long walNumber, int indexedKeys) {
        this.walNumber = walNumber;
        this.nodes = new NodesByKey(index, entries, indexedKeys);
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
        long node = nodes.find(userKey, keyOff, keyLen);
        if (node < 0) { // not indexed: the list has it, or the key is new
            node = index.insert(entry);
            if (index.entry(node) == entry) {
                nodes.add(node, userKey, keyOff, keyLen);
                node = NONE;
            }
        }
        if (node != NONE) {
            addVersion(node, entry, trailer);
        }
        MEMORY_USAGE.setRelease(this, entries.usedBytes() + index.usedBytes() + nodes.usedBytes());
    }

    /**
     * Makes {@code entry}, of the key of {@code node}, one of the key's versions, keeping the
     * chain newest (largest trailer) first. Normally it is newer than every other (sequences
     * grow, and the entry added last has the newest) and becomes the head with one store. An
     * older one (a test adding in any order, or a log applied twice, which only a corrupt store
     * does) goes where its trailer puts it, or replaces the entry of an equal trailer as a map
     * would; as entries never change once published, the versions newer than it are copied into
     * a new chain, published with one store: a reader sees the old chain or the new one, whole
     * (one standing in the old chain goes on along it).
     */
    private void addVersion(long node, long entry, long trailer) {
        long head = index.entry(node);
        if (Long.compareUnsigned(entries.trailer(head), trailer) < 0) {
            entries.linkOlder(entry, head);
            index.publishEntry(node, entry);
            return;
        }
        long[] newer = new long[8];
        int count = 0;
        long at = head;
        while (at != 0 && Long.compareUnsigned(entries.trailer(at), trailer) > 0) {
            if (count == newer.length) {
                newer = Arrays.copyOf(newer, 2 * count);
            }
            newer[count++] = at;
            at = entries.older(at);
        }
        long chain = entry;
        entries.linkOlder(entry, at != 0 && entries.trailer(at) == trailer ? entries.older(at) : at);
        while (count > 0) {
            long copy = entries.copy(newer[--count]);
            entries.linkOlder(copy, chain);
            chain = copy;
        }
        index.publishEntry(node, chain);
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
    private static final long NONE = NodesByKey.NONE;

    /**
     * The address of the entry {@link #get} answers with, or {@link #NONE}: the first of the key's
     * chain at or below the reader's sequence, the key's node found through {@link NodesByKey}
     * (see there why a miss is to be trusted) or, past its bound, the list.
     */
    private long find(byte[] seekKey) {
        int keyLength = seekKey.length - InternalKey.TRAILER_SIZE;
        long node = nodes.find(seekKey, 0, keyLength);
        if (node == NONE) {
            return NONE;
        }
        if (node == NodesByKey.UNKNOWN) {
            node = index.seek(seekKey, keyLength);
            if (node == 0 || !entries.hasUserKey(index.entry(node), seekKey)) {
                return NONE;
            }
        }
        long entry = entries.atOrBelow(index.entry(node), InternalKey.trailer(seekKey));
        return entry == 0 ? NONE : entry;
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

    /** Takes the entries a flush writes. */
    @FunctionalInterface
    public interface FlushSink {
        void add(byte[] internalKey, byte[] value) throws IOException;
    }

    /**
     * Hands {@code out} copies of the entries a flush of this table must write, in order: every
     * version but those shadowed by a newer one of their key whose sequence is at or below
     * {@code smallestSnapshot} (the oldest sequence a live reader may read at; the compaction's
     * first drop rule, which RocksDB's flush applies too). Tombstones are all handed over: older
     * entries below may need them. A key's chain is walked only down to the first version at or
     * below {@code smallestSnapshot}, so the versions left out are not even read.
     */
    public void forEachToFlush(long smallestSnapshot, FlushSink out) throws IOException {
        for (long node = index.first(); node != 0; node = index.next(node)) {
            for (long entry = index.entry(node); entry != 0; entry = entries.older(entry)) {
                out.add(entries.key(entry), entries.value(entry));
                if (entries.trailer(entry) >>> 8 <= smallestSnapshot) {
                    break; // every older version is shadowed by this one for every reader
                }
            }
        }
    }

    /**
     * An iterator whose key() and value() are copies. It sees entries added after it was made
     * (which readers filter by sequence); where it stands, it stays.
     */
    public InternalIterator iterator() {
        return new MemTableIterator(index, entries);
    }
}
