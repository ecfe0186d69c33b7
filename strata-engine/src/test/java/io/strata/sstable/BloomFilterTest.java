package io.strata.sstable;

import static io.strata.sstable.SstTestSupport.bytes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BloomFilterTest {
    private static List<byte[]> keys(String prefix, int n) {
        List<byte[]> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(bytes(prefix + i));
        }
        return keys;
    }

    @Test
    void hasNoFalseNegatives() {
        List<byte[]> keys = keys("key-", 10_000);
        byte[] filter = BloomFilter.build(keys, 10);
        for (byte[] k : keys) {
            assertThat(BloomFilter.mayContain(filter, k))
                    .as(new String(k, UTF_8))
                    .isTrue();
        }
    }

    @Test
    void hasNoFalseNegativesForRandomBinaryKeysAtAnyBitsPerKey() {
        long seed = SstTestSupport.seed("BloomFilterTest.randomKeys", 0xb1001L);
        Random rnd = new Random(seed);
        for (int bitsPerKey = 1; bitsPerKey <= 40; bitsPerKey += 3) {
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                byte[] k = new byte[rnd.nextInt(20)];
                rnd.nextBytes(k);
                keys.add(k);
            }
            byte[] filter = BloomFilter.build(keys, bitsPerKey);
            assertThat(filter[filter.length - 1]).isEqualTo((byte) BloomFilter.probes(bitsPerKey));
            for (byte[] k : keys) {
                assertThat(BloomFilter.mayContain(filter, k))
                        .as("bits/key %d, seed %d", bitsPerKey, seed)
                        .isTrue();
            }
        }
    }

    @Test
    void falsePositiveRateAtTenBitsPerKeyIsBelowTwoPercent() {
        byte[] filter = BloomFilter.build(keys("key-", 10_000), 10);
        int positives = 0;
        for (byte[] k : keys("absent-", 10_000)) {
            if (BloomFilter.mayContain(filter, k)) {
                positives++;
            }
        }
        double rate = positives / 10_000.0;
        System.out.printf("BloomFilterTest: false-positive rate at 10 bits/key: %.3f%%%n", rate * 100);
        assertThat(rate).isLessThan(0.02);
    }

    @Test
    void sizeAndProbeCountFollowLevelDb() {
        assertThat(BloomFilter.probes(10)).isEqualTo(7);
        assertThat(BloomFilter.probes(0)).isEqualTo(1);
        assertThat(BloomFilter.probes(1)).isEqualTo(1);
        assertThat(BloomFilter.probes(100)).isEqualTo(30);
        byte[] filter = BloomFilter.build(keys("key-", 10_000), 10);
        assertThat(filter).hasSize(10_000 * 10 / 8 + 1);
        assertThat(filter[filter.length - 1]).isEqualTo((byte) 7);
        // At least 64 bits, even for very few keys.
        assertThat(BloomFilter.build(keys("k", 1), 10)).hasSize(8 + 1);
    }

    @Test
    void filterOfNoKeysContainsNothing() {
        byte[] filter = BloomFilter.build(List.of(), 10);
        for (byte[] k : keys("key-", 100)) {
            assertThat(BloomFilter.mayContain(filter, k)).isFalse();
        }
    }

    @Test
    void emptyOrUnknownFilterAnswersTrue() {
        for (byte[] k : keys("key-", 100)) {
            assertThat(BloomFilter.mayContain(new byte[0], k))
                    .as("empty filter block")
                    .isTrue();
            assertThat(BloomFilter.mayContain(new byte[] {7}, k))
                    .as("probe count only")
                    .isTrue();
            byte[] future = new byte[65];
            future[64] = 31;
            assertThat(BloomFilter.mayContain(future, k))
                    .as("more than 30 probes")
                    .isTrue();
        }
        assertThat(BloomFilter.mayContain(new byte[0], new byte[0])).isTrue();
    }

    /** The known-answer vectors of LevelDB's util/hash_test.cc (those with the bloom seed 0xbc9f1d34). */
    @Test
    void hashMatchesLevelDbHash() {
        assertThat(BloomFilter.hash(new byte[0])).isEqualTo(0xbc9f1d34);
        assertThat(BloomFilter.hash(new byte[] {0x62})).isEqualTo(0xef1345c4);
        assertThat(BloomFilter.hash(new byte[] {(byte) 0xc3, (byte) 0x97})).isEqualTo(0x5b663814);
        assertThat(BloomFilter.hash(new byte[] {(byte) 0xe2, (byte) 0x99, (byte) 0xa5}))
                .isEqualTo(0x323c078f);
        assertThat(BloomFilter.hash(new byte[] {(byte) 0xe1, (byte) 0x80, (byte) 0xb9, 0x32}))
                .isEqualTo(0xed21633a);
    }
}
