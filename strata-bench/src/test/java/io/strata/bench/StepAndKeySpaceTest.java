package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StepAndKeySpaceTest {
    @Test
    void stepsParseThreadsAndKeyCounts() {
        assertThat(Step.parse("fillsync:16", 1)).isEqualTo(new Step("fillsync", 16, 0));
        assertThat(Step.parse("readrandom", 3)).isEqualTo(new Step("readrandom", 3, 0));
        assertThat(Step.parse("fillrandom@10000000", 1)).isEqualTo(new Step("fillrandom", 1, 10_000_000));
        assertThat(Step.parse("readrandom:2@500", 1).label()).isEqualTo("readrandom:2@500");
        for (String bad : new String[] {"fillsync:0", "fillsync:x", "readrandom@-1", "nosuch"}) {
            assertThatThrownBy(() -> Step.parse(bad, 1)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void keysSortAsTheirIndexesAndNameThem() {
        KeySpace keys = new KeySpace(100_000, 16, 100);
        for (long i : new long[] {0, 8, 9, 99, 12_345, 99_999, 100_000, 199_998}) {
            assertThat(Arrays.compareUnsigned(keys.key(i), keys.key(i + 1)))
                    .as("key %d < key %d", i, i + 1)
                    .isNegative();
            assertThat(keys.index(keys.key(i))).isEqualTo(i);
        }
        assertThat(new String(keys.key(42), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("0000000000000042");
        assertThat(keys.index("000000000000004x".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isEqualTo(-1);
        assertThat(keys.index(new byte[3])).isEqualTo(-1);
        assertThatThrownBy(() -> new KeySpace(100_000, 5, 100))
                .hasMessageContaining("cannot hold the 6 decimal digits");
        assertThatThrownBy(() -> new KeySpace(100, 16, 7)).hasMessageContaining("at least 8 bytes");
    }

    @Test
    void shuffledIsASeededPermutation() {
        KeySpace keys = new KeySpace(10_000, 16, 100);
        int[] a = keys.shuffled(7);
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertThat(sorted).isEqualTo(IntStream.range(0, 10_000).toArray());
        assertThat(keys.shuffled(7)).isEqualTo(a);
        assertThat(keys.shuffled(8)).isNotEqualTo(a);
        assertThat(a).isNotEqualTo(IntStream.range(0, 10_000).toArray());
    }
}
