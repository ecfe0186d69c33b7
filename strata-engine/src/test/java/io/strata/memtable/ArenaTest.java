package io.strata.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArenaTest {
    private static int chunkIndex(long address) {
        return (int) (address >>> 32);
    }

    @Test
    void chunksDoubleUpToTheMaximumAndFillInOrder() {
        Arena<byte[]> arena = new Arena<>(byte[]::new, 16, 64);
        long a = arena.allocate(10);
        long b = arena.allocate(6);
        assertThat(chunkIndex(a)).isZero();
        assertThat(Arena.offset(a)).isZero();
        assertThat(chunkIndex(b)).isZero();
        assertThat(Arena.offset(b)).isEqualTo(10);
        assertThat(arena.chunk(a)).hasSize(16);

        long c = arena.allocate(1); // chunk 0 is full: a new one, twice as large
        assertThat(chunkIndex(c)).isEqualTo(1);
        assertThat(Arena.offset(c)).isZero();
        assertThat(arena.chunk(c)).hasSize(32);

        long d = arena.allocate(16); // 31 left in chunk 1: fits
        assertThat(chunkIndex(d)).isEqualTo(1);
        assertThat(Arena.offset(d)).isEqualTo(1);

        long e = arena.allocate(16); // 15 left: chunk 2 of 64 (the maximum), the 15 wasted
        assertThat(chunkIndex(e)).isEqualTo(2);
        assertThat(arena.chunk(e)).hasSize(64);
        assertThat(arena.used()).isEqualTo(16 + 32 + 16);

        arena.allocate(16);
        arena.allocate(16);
        arena.allocate(16);
        long f = arena.allocate(1); // chunk 2 full: chunk 3 stays at the maximum
        assertThat(chunkIndex(f)).isEqualTo(3);
        assertThat(arena.chunk(f)).hasSize(64);
        assertThat(arena.used()).isEqualTo(16 + 32 + 64 + 1);
    }

    @Test
    void largeAllocationThatDoesNotFitGetsAChunkOfItsOwnAndTheCurrentChunkStaysCurrent() {
        Arena<byte[]> arena = new Arena<>(byte[]::new, 64, 64);
        long small = arena.allocate(8);
        long fits = arena.allocate(50); // over a quarter of the maximum chunk, but it fits
        long large = arena.allocate(17); // over a quarter, 6 left: a chunk of its own
        long huge = arena.allocate(1000);
        long next = arena.allocate(6);
        assertThat(chunkIndex(fits)).isEqualTo(chunkIndex(small));
        assertThat(arena.chunk(large)).hasSize(17);
        assertThat(Arena.offset(large)).isZero();
        assertThat(arena.chunk(huge)).hasSize(1000);
        assertThat(chunkIndex(next)).isEqualTo(chunkIndex(small));
        assertThat(Arena.offset(next)).isEqualTo(58);
        assertThat(arena.used()).isEqualTo(8 + 50 + 17 + 1000 + 6);
    }

    @Test
    void chunkTableGrowsAndKeepsEveryChunk() {
        Arena<long[]> arena = new Arena<>(long[]::new, 4, 4);
        Set<long[]> chunks = Collections.newSetFromMap(new IdentityHashMap<>());
        long[] addresses = new long[200];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = arena.allocate(4); // one chunk each: the table grows past 16 slots
            arena.chunk(addresses[i])[Arena.offset(addresses[i])] = i;
            chunks.add(arena.chunk(addresses[i]));
        }
        assertThat(chunks).hasSize(200);
        for (int i = 0; i < addresses.length; i++) {
            assertThat(arena.chunk(addresses[i])[Arena.offset(addresses[i])]).isEqualTo(i);
        }
        assertThat(arena.used()).isEqualTo(800);
    }
}
