package io.strata.memtable;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Append-only storage carved out of a few large arrays ("chunks") of one primitive type:
 * {@code byte[]} for memtable entries, {@code long[]} for skip-list nodes. A memtable is thus a
 * few large arrays per MiB however small its entries, which the garbage collector copies or
 * scans as a few objects, not as millions.
 *
 * <p>An allocation is named by a {@code long} address: chunk index in the high 32 bits, offset
 * (in elements) in the low 32 bits. Chunks start at {@code firstChunk} elements and double up to
 * {@code maxChunk} (a small memtable stays small); an allocation larger than a quarter of
 * {@code maxChunk} gets a chunk of its own, exactly its size, and the current chunk stays current.
 * Space at the end of a chunk that the next allocation did not fit is left unused (and counted as
 * used). Nothing is ever freed or moved: the arena goes away with its memtable.
 *
 * <p><b>Threads.</b> One writer at a time calls {@link #allocate} and {@link #used}; the fields
 * marked writer-only are handed from one writer to the next by whatever orders the writers (in
 * the engine, {@code DbImpl.mutex}). Any number of readers call {@link #chunk} at the same time.
 *
 * <p><b>Publication.</b> A new chunk is stored into the chunk table before {@code allocate}
 * returns an address in it; a table that has to grow is copied and filled completely before it
 * is published through the volatile {@link #chunks}. A reader must have obtained the address by
 * an acquire read (or a volatile read) that saw a release write the writer made after
 * {@code allocate} returned: a skip-list link or a node's entry slot (see {@link SkipList}). That
 * edge orders the chunk's store before the reader's volatile read of {@link #chunks}, so the
 * table it reads holds the chunk, and everything the writer wrote into the chunk before that
 * release write.
 */
final class Arena<A> {
    /**
     * The largest chunk the memtable's arenas use: 256 KiB, under half of G1's smallest region
     * (1 MiB, which G1 picks for heaps under 4 GiB), so that a chunk is never a humongous object:
     * one of those takes whole regions for itself, and a 1 MiB chunk would take two.
     */
    static final int MAX_CHUNK_BYTES = 256 * 1024;

    private final IntFunction<A> newChunk;
    private final int maxChunk;

    /** The chunk table; slots past the writer's count are null. Written by the writer only. */
    private volatile Object[] chunks = new Object[16];

    // Writer-only.
    private int count;
    private int currentIndex = -1;
    private int position;
    private int limit;
    private int nextChunk;
    private long used;

    Arena(IntFunction<A> newChunk, int firstChunk, int maxChunk) {
        this.newChunk = newChunk;
        this.nextChunk = firstChunk;
        this.maxChunk = maxChunk;
    }

    /** Reserves {@code n} consecutive elements and returns their address. Writer only. */
    long allocate(int n) {
        if (n > limit - position) {
            if (n > maxChunk / 4) {
                used += n;
                return address(addChunk(n), 0);
            }
            used += limit - position;
            limit = Math.max(n, nextChunk);
            nextChunk = Math.min(maxChunk, nextChunk * 2);
            currentIndex = addChunk(limit);
            position = 0;
        }
        long address = address(currentIndex, position);
        position += n;
        used += n;
        return address;
    }

    private int addChunk(int size) {
        Object[] table = chunks;
        if (count == table.length) {
            table = Arrays.copyOf(table, count * 2);
            table[count] = newChunk.apply(size);
            chunks = table;
        } else {
            table[count] = newChunk.apply(size);
        }
        return count++;
    }

    /** Elements allocated so far, with the unused ends of chunks left behind. Writer only. */
    long used() {
        return used;
    }

    /** The chunk holding {@code address}; see the class comment for when a reader may call it. */
    @SuppressWarnings("unchecked")
    A chunk(long address) {
        return (A) chunks[(int) (address >>> 32)];
    }

    static int offset(long address) {
        return (int) address;
    }

    private static long address(int chunk, int offset) {
        return (long) chunk << 32 | offset;
    }
}
