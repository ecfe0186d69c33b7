package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NumbersTest {
    private static String incr(String current, String by) {
        return LongDouble.format(LongDouble.add(parse(current), parse(by)));
    }

    private static BigDecimal parse(String s) {
        return LongDouble.parse(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Sums and their text as redis-server 7.0.15 answers INCRBYFLOAT (on x86-64). */
    @Test
    void incrByFloatAddsAndPrintsAsRedisLongDoubles() {
        assertThat(incr("10.5", "0.1")).isEqualTo("10.6");
        assertThat(incr("0.1", "0.2")).isEqualTo("0.3");
        assertThat(incr("3.0e3", "200")).isEqualTo("3200");
        assertThat(incr("3200", "1.23456789012345678901")).isEqualTo("3201.23456789012345669");
        assertThat(incr("0", "-0.5")).isEqualTo("-0.5");
        assertThat(incr("0.5", "-0.5")).isEqualTo("0");
        assertThat(incr("0", "1e308"))
                .isEqualTo("99999999999999999996685879655845645660560099847415567207797047994921734868838061872100"
                        + "126921888539320446747225054013223152134749593960583597420814430196418767959100019603190"
                        + "778663109604507106667939153395788938914560543563061268364901618630217086589253444881623"
                        + "791300855757318142424510452728255046343928578048");
    }

    @Test
    void whatIsNoLongDouble() {
        assertThat(parse("inf")).as("an infinity, refused as a result").isNull();
        assertThat(parse("-Infinity")).isNull();
        for (String bad : new String[] {"nan", "", " 1", "1 ", "abc", "1e5000", "1e-5000", "0x10"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isSameAs(CommandError.NOT_FLOAT);
        }
        assertThat(LongDouble.add(parse("1e4932"), parse("1e4932")))
                .as("overflow")
                .isNull();
    }
}
