package io.strata.memtable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The user keys of a memtable in order, LevelDB's skip list: one writer at a time, any number of
 * readers at the same time, no locks. A node stands for one user key and holds the address of
 * its newest entry (see {@link MemTableEntries}), from which the key's older entries follow as a
 * chain; the order is that of the nodes' user keys, given by a {@link KeyComparator}. So a new
 * version of a key the table holds is not a node: it becomes the head of the key's chain in one
 * store ({@link #publishEntry}), with no walk of the list (the caller finds the node through
 * {@link NodesByKey}).
 *
 * <p><b>Layout.</b> Nodes live in {@code long[]} chunks of an {@link Arena}; a node at address
 * {@code n} is {@code 1 + height} longs of {@code chunk(n)} from {@code offset(n)}:
 * <pre>
 *   [0]              address of the newest entry of the node's user key
 *   [1 + i], i &lt; height   address of the next node at level i, or 0 for none
 * </pre>
 * The height is not stored: a node is only ever reached at level i through a level-i link, so
 * it has that level. The head is the node at address 0, {@link #MAX_HEIGHT} levels and no
 * entry; since no link points to it, 0 in a link means "no node".
 *
 * <p><b>Publication.</b> The writer fills a new node completely (entry address, and at each
 * level its successor, read from its predecessor) with plain writes, then links it in from level
 * 0 upwards, each link with a release store ({@link VarHandle#setRelease}) into the predecessor.
 * Readers read links and entry slots with acquire loads ({@link VarHandle#getAcquire}). So a
 * reader that reaches a node through a link sees everything written before that link was
 * stored: the node, its entry's bytes and the arena chunks that hold both (see {@link Arena}).
 * A reader never sees a node at level i before its level-i successor is set. Nodes are never
 * removed or moved, so a reader may hold a node address for as long as it likes; it also sees
 * nodes linked in after it started, which is why the engine's readers filter by sequence.
 * A node's entry slot changes only to the head of a new chain of its key (a newer version, or
 * rarely copies: see {@code MemTable.addVersion}) whose links were all set before (a release
 * store, {@link #publishEntry}): a reader sees the old head or the new one, each with its chain
 * whole.
 *
 * <p>{@link #maxHeight} may be read stale: a reader starting below the new height only walks
 * further, and one that sees the new height before the head's new links just finds them empty.
 *
 * <p><b>Threads.</b> Writer-only state ({@link #insert}'s {@link #splice}, the node arena's
 * allocation) is handed from one writer to the next by whatever orders them (in the engine,
 * {@code DbImpl.mutex}: the group-commit leader is the only writer).
 */
final class SkipList {
    /** Orders entries (by address) by their user keys. */
    interface KeyComparator {
        /** The user key of the entry at {@code entry} against {@code key[0, len)}. */
        int compare(long entry, byte[] key, int len);

        /** The user key of the entry at {@code entry} against that of the entry at {@code other}. */
        int compare(long entry, long other);
    }

    static final int MAX_HEIGHT = 12;
    private static final long HEAD = 0;
    private static final int FIRST_CHUNK_LONGS = 512;
    private static final int MAX_CHUNK_LONGS = Arena.MAX_CHUNK_BYTES / Long.BYTES;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final KeyComparator comparator;
    private final Arena<long[]> nodes = new Arena<>(long[]::new, FIRST_CHUNK_LONGS, MAX_CHUNK_LONGS);
    /** Highest level in use; written by the writer only. */
    private volatile int maxHeight = 1;
    /** Writer-only: the predecessors, per level, of the key being inserted. */
    private final long[] splice = new long[MAX_HEIGHT];

    SkipList(KeyComparator comparator) {
        this.comparator = comparator;
        nodes.allocate(1 + MAX_HEIGHT); // the head, at address 0 (HEAD)
    }

    /**
     * The node of {@code entry}'s user key: a new one holding {@code entry}, or the one already
     * there, which the caller then gives {@code entry} as a version (the list is unchanged).
     * Writer only.
     */
    long insert(long entry) {
        long found = findGreaterOrEqual(null, 0, entry, splice);
        if (found != HEAD && comparator.compare(entry(found), entry) == 0) {
            return found;
        }
        int height = randomHeight();
        int max = maxHeight;
        if (height > max) {
            for (int level = max; level < height; level++) {
                splice[level] = HEAD;
            }
            maxHeight = height;
        }
        long node = nodes.allocate(1 + height);
        long[] chunk = nodes.chunk(node);
        int at = Arena.offset(node);
        chunk[at] = entry;
        for (int level = 0; level < height; level++) {
            chunk[at + 1 + level] = next(splice[level], level);
        }
        for (int level = 0; level < height; level++) {
            long prev = splice[level];
            LONGS.setRelease(nodes.chunk(prev), Arena.offset(prev) + 1 + level, node);
        }
        return node;
    }

    /**
     * Makes {@code entry}, fully written and linked to its older versions, the entry of
     * {@code node} (a release store). Writer only.
     */
    void publishEntry(long node, long entry) {
        LONGS.setRelease(nodes.chunk(node), Arena.offset(node), entry);
    }

    /** Levels with probability 1/4 each of going one higher, as LevelDB. */
    private static int randomHeight() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int height = 1;
        while (height < MAX_HEIGHT && (random.nextInt() & 3) == 0) {
            height++;
        }
        return height;
    }

    /** The first node whose user key is at or after {@code key[0, len)}, or 0 (none). */
    long seek(byte[] key, int len) {
        return findGreaterOrEqual(key, len, 0, null);
    }

    /** The first node, or 0 for an empty list. */
    long first() {
        return next(HEAD, 0);
    }

    /** The node after {@code node}, or 0. */
    long next(long node) {
        return next(node, 0);
    }

    /** The last node, or 0 for an empty list. */
    long last() {
        long node = HEAD;
        for (int level = maxHeight - 1; level >= 0; level--) {
            for (long next = next(node, level); next != HEAD; next = next(node, level)) {
                node = next;
            }
        }
        return node;
    }

    /**
     * The node before {@code node}, or 0 when it is the first. Nodes keep no back links (a
     * reader could not see one published consistently with the forward links), so this is a
     * search from the top, O(log n) as {@link #seek}: LevelDB's {@code FindLessThan}.
     */
    long prev(long node) {
        long entry = entry(node);
        long at = HEAD;
        int level = maxHeight - 1;
        while (true) {
            long next = next(at, level);
            if (next != HEAD && comparator.compare(entry(next), entry) < 0) {
                at = next;
            } else if (level == 0) {
                return at;
            } else {
                level--;
            }
        }
    }

    /** The address of {@code node}'s entry. */
    long entry(long node) {
        return (long) LONGS.getAcquire(nodes.chunk(node), Arena.offset(node));
    }

    boolean isEmpty() {
        return first() == HEAD;
    }

    /** Bytes of node storage allocated. Writer only. */
    long usedBytes() {
        return nodes.used() * Long.BYTES;
    }

    private long next(long node, int level) {
        return (long) LONGS.getAcquire(nodes.chunk(node), Arena.offset(node) + 1 + level);
    }

    /**
     * Walks down from the top to the first node at or after the target, the user key
     * {@code key[0, len)} or, when that is null, the user key of the entry at {@code entry}; fills
     * {@code prev[level]} (if given) with the last node before the target.
     */
    private long findGreaterOrEqual(byte[] key, int len, long entry, long[] prev) {
        long node = HEAD;
        int level = maxHeight - 1;
        while (true) {
            long next = next(node, level);
            if (next != HEAD
                    && (key != null
                                    ? comparator.compare(entry(next), key, len)
                                    : comparator.compare(entry(next), entry))
                            < 0) {
                node = next;
            } else {
                if (prev != null) {
                    prev[level] = node;
                }
                if (level == 0) {
                    return next;
                }
                level--;
            }
        }
    }
}
