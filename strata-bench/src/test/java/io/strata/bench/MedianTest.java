package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MedianTest {
    @Test
    void anOddCountGivesTheMiddleValueWhateverTheOrder() {
        assertThat(Median.of(7)).isEqualTo(7);
        assertThat(Median.of(30, 10, 20)).isEqualTo(20);
        assertThat(Median.of(5, 1, 1000, 3, 4)).isEqualTo(4);
    }

    @Test
    void anEvenCountGivesTheMeanOfTheTwoMiddleValues() {
        assertThat(Median.of(4, 1)).isEqualTo(2.5);
        assertThat(Median.of(40, 10, 30, 20)).isEqualTo(25);
    }

    @Test
    void theInputIsLeftAsItWas() {
        double[] values = {3, 1, 2};
        Median.of(values);
        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void nullsAreLeftOutAndNoValueGivesNull() {
        assertThat(Median.ofPresent(Arrays.asList(null, 2.0, 9.0, null, 4.0))).isEqualTo(4.0);
        assertThat(Median.ofPresent(Arrays.asList(null, null))).isNull();
        assertThatThrownBy(Median::of).isInstanceOf(IllegalArgumentException.class);
    }
}
