package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumbersTest {
    @Test
    void doublesPrintLikeRedis() {
        assertThat(Numbers.formatDouble(10.6)).isEqualTo("10.6");
        assertThat(Numbers.formatDouble(3.0)).isEqualTo("3");
        assertThat(Numbers.formatDouble(-0.5)).isEqualTo("-0.5");
        assertThat(Numbers.formatDouble(5.0e3)).isEqualTo("5000");
    }
}
