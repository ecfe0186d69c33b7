package io.strata.memtable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * For each user key of a memtable, the address of its skip-list node: a hash table beside the
 * list, so that a write of a key the table holds is one probe rather than a walk of the list
 * (the new version goes to the head of the node's chain), and so is a point read (at the
 * newest sequence, most reads are: the node's entry; at an older one, down the chain) and a read
 * of a key the table does not hold.
 *
 * <p><b>Layout.</b> Open addressing with linear probing over {@code long} pairs:
 * {@code [2i]} the node's address (0: empty slot; no node has address 0), {@code [2i + 1]} its
 * user key's hash, so that a probe compares keys only where the hashes agree and growing never
 * reads a key. A slot, once taken, holds the same node for good.
 *
 * <p><b>Publication.</b> The one writer (see {@link MemTable}) adds a key after linking its node
 * into the list: it fills the slot's hash, then stores the address with a release store
 * ({@link VarHandle#setRelease}). Readers load an address with an acquire load, so they see the
 * node and the hash stored before it. Growing builds a new array and publishes it through the
 * volatile {@link #pages}; a reader still on the old one misses only what was added after the
 * new one was published.
 *
 * <p><b>Why a reader may trust a miss.</b> The engine publishes a sequence only after every entry
 * up to it is in the memtable, and a reader reads at a sequence it obtained from that publication
 * (directly or through a snapshot). What it then reads from {@link #pages} is at least what the
 * writer had stored when it published that sequence: every key with an entry at or below the
 * reader's sequence is there. So a key not found was not in the table at that sequence, while
 * {@link #complete} is true.
 *
 * <p><b>Cost.</b> 16 bytes a slot, at most three quarters of them taken (21 to 43 bytes a key),
 * counted in the memtable's memory. At most {@link #MAX_KEYS} keys (32 MiB): past that, keys not
 * yet in the table are not added ({@link #complete} turns false, and a miss then says nothing:
 * the caller searches the list), while those in it stay.
 */
final class NodesByKey {
    /** Keys indexed at most. */
    static final int MAX_KEYS = 1 << 20;

    private static final int FIRST_SLOTS = 1 << 4;
    /** Slots per page: 2^14 pairs of longs, 256 KiB. */
    private static final int PAGE_SHIFT = 14;

    private static final int PAGE_SLOTS = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_SLOTS - 1;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** What {@link #find} answers when the table does not hold the key: no address is negative. */
    static final long NONE = -1;

    /** What {@link #find} answers when it cannot tell (the table stopped taking new keys). */
    static final long UNKNOWN = -2;

    private final SkipList index;
    private final MemTableEntries entries;
    private final int maxKeys;
    /**
     * The table: slot i's pair at {@code [2 (i mod PAGE_SLOTS)]} of page {@code i / PAGE_SLOTS}
     * (pages of 256 KiB at most, so that no page is a humongous object, as the arenas' chunks).
     * Replaced (its pages never modified after) by the writer when it grows.
     */
    private volatile long[][] pages = newTable(FIRST_SLOTS);
    /** Whether every key of the memtable is in the table. Written by the writer only. */
    private volatile boolean complete = true;
    /** Writer only: the slots taken. */
    private int used;

    NodesByKey(SkipList index, MemTableEntries entries) {
        this(index, entries, MAX_KEYS);
    }

    /** With a bound of {@code maxKeys} keys: for tests of what happens past it. */
    NodesByKey(SkipList index, MemTableEntries entries, int maxKeys) {
        this.index = index;
        this.entries = entries;
        this.maxKeys = maxKeys;
    }

    /**
     * Records {@code node}, just linked into the list, as the node of its user key
     * {@code key[off, off + len)}, which the table does not hold; past the bound it records
     * nothing. Writer only.
     */
    void add(long node, byte[] key, int off, int len) {
        long hash = hash(key, off, len);
        long[][] t = pages;
        long found = probe(t, hash, key, off, len);
        if (found > 0) {
            return; // held already
        }
        if (used >= maxKeys) {
            complete = false;
            return;
        }
        int i = (int) (-1 - found);
        long[] page = t[i >>> PAGE_SHIFT];
        int at = 2 * (i & PAGE_MASK);
        page[at + 1] = hash;
        LONGS.setRelease(page, at, node);
        if (++used * 4L > (slots(t) - 1) * 3L) {
            grow(t);
        }
    }

    /**
     * The node of the user key {@code key[off, off + len)}, {@link #NONE} when the table has
     * none, {@link #UNKNOWN} when it cannot tell.
     */
    long find(byte[] key, int off, int len) {
        long found = probe(pages, hash(key, off, len), key, off, len);
        return found > 0 ? found : complete ? NONE : UNKNOWN;
    }

    /**
     * Probes {@code t} for the key {@code key[off, off + len)} of hash {@code hash}: its node, or
     * {@code -1 - i} for the empty slot i where the probe ended.
     */
    private long probe(long[][] t, long hash, byte[] key, int off, int len) {
        int mask = slots(t) - 1;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            long[] page = t[i >>> PAGE_SHIFT];
            int at = 2 * (i & PAGE_MASK);
            long node = (long) LONGS.getAcquire(page, at);
            if (node == 0) {
                return -1L - i;
            }
            if (page[at + 1] == hash && entries.hasUserKey(index.entry(node), key, off, len)) {
                return node;
            }
        }
    }

    /** Bytes of the table. */
    long usedBytes() {
        return (long) slots(pages) * 2 * Long.BYTES;
    }

    private static int slots(long[][] t) {
        return t.length * (t[0].length / 2);
    }

    private static long[][] newTable(int slots) {
        int pageSlots = Math.min(slots, PAGE_SLOTS);
        long[][] t = new long[slots / pageSlots][];
        for (int p = 0; p < t.length; p++) {
            t[p] = new long[2 * pageSlots];
        }
        return t;
    }

    private void grow(long[][] old) {
        long[][] t = newTable(2 * slots(old));
        int mask = slots(t) - 1;
        for (long[] oldPage : old) {
            for (int j = 0; j < oldPage.length; j += 2) {
                if (oldPage[j] != 0) {
                    int i = (int) oldPage[j + 1] & mask;
                    while (t[i >>> PAGE_SHIFT][2 * (i & PAGE_MASK)] != 0) {
                        i = (i + 1) & mask;
                    }
                    t[i >>> PAGE_SHIFT][2 * (i & PAGE_MASK)] = oldPage[j];
                    t[i >>> PAGE_SHIFT][2 * (i & PAGE_MASK) + 1] = oldPage[j + 1];
                }
            }
        }
        pages = t;
    }

    /** A 64-bit hash of {@code key[off, off + len)}, eight bytes at a time. */
    static long hash(byte[] key, int off, int len) {
        long h = 0x9E3779B97F4A7C15L ^ len;
        int end = off + len;
        int i = off;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            h = (h ^ (long) LONG_LE.get(key, i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        for (; i < end; i++) {
            h = (h ^ (key[i] & 0xff)) * 0x94D049BB133111EBL;
        }
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 32);
    }
}
