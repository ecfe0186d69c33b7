package io.strata.server.util;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class GlobAndCursorTest {
    static boolean m(String p, String s) {
        return Glob.matches(p.getBytes(StandardCharsets.UTF_8), s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void manyStarsThatCannotMatchFailFastAsRedisSkipsLongerMatches() {
        // Without Redis's skipLongerMatches each * retries every split: 40 a's and 20 stars took seconds.
        byte[] key = "a".repeat(40).getBytes(UTF_8);
        byte[] pattern = ("a*".repeat(20) + "b").getBytes(UTF_8);
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThat(Glob.matches(pattern, key)).isFalse();
            assertThat(Glob.matches(
                            "*?".repeat(50_000).getBytes(UTF_8),
                            "a".repeat(50_000).getBytes(UTF_8)))
                    .as("deeper than Redis's nesting bound: no match")
                    .isFalse();
        });
        assertThat(Glob.matches(("a*".repeat(20) + "a").getBytes(UTF_8), key)).isTrue();
        assertThat(Glob.matches("*b*c".getBytes(UTF_8), "xxbyyc".getBytes(UTF_8)))
                .isTrue();
        assertThat(Glob.matches("*b*c".getBytes(UTF_8), "xxbyyd".getBytes(UTF_8)))
                .isFalse();
        assertThat(Glob.matches("a*b*".getBytes(UTF_8), "ab".getBytes(UTF_8))).isTrue();
    }

    @Test
    void globLikeRedis() {
        assertThat(m("*", "")).isTrue();
        assertThat(m("h?llo", "hello")).isTrue();
        assertThat(m("h*llo", "heeeello")).isTrue();
        assertThat(m("h[ae]llo", "hallo")).isTrue();
        assertThat(m("h[ae]llo", "hillo")).isFalse();
        assertThat(m("h[^e]llo", "hallo")).isTrue();
        assertThat(m("h[^e]llo", "hello")).isFalse();
        assertThat(m("h[a-b]llo", "hbllo")).isTrue();
        assertThat(m("h\\*llo", "h*llo")).isTrue();
        assertThat(m("h\\*llo", "hello")).isFalse();
        assertThat(m("user:*:name", "user:42:name")).isTrue();
        assertThat(m("a*b*c", "axxbyyc")).isTrue();
        assertThat(m("a*b*c", "axxbyy")).isFalse();
        assertThat(Glob.matchesIgnoreCase("MAX*".getBytes(UTF_8), "maxclients".getBytes(UTF_8)))
                .isTrue();
        assertThat(new String(Glob.literalPrefix("user:\\*x*".getBytes(UTF_8)), UTF_8))
                .isEqualTo("user:*x");
        assertThat(Glob.literalPrefix("*a".getBytes(UTF_8))).isEmpty();
    }

    @Test
    void shortKeysHaveDirectCursorsBelowTwoToThe57() {
        ScanCursors cursors = new ScanCursors();
        assertThat(cursors.decode("0")).isEmpty();
        for (String k : new String[] {"a", "user:1", "\0\0x", "1234567", "\377\377\377\377\377\377\377"}) {
            byte[] key = k.getBytes(StandardCharsets.ISO_8859_1);
            String c = cursors.encode(key);
            assertThat(c).matches("[1-9][0-9]*");
            assertThat(Long.parseLong(c)).isLessThan(1L << 57);
            // stateless: usable any number of times, by any server
            assertThat(cursors.decode(c)).isEqualTo(key);
            assertThat(new ScanCursors().decode(c)).isEqualTo(key);
        }
        assertThat(cursors.tableSize()).isZero();
    }

    @Test
    void longKeysHaveTableCursorsThatFitASigned64BitInteger() {
        ScanCursors cursors = new ScanCursors();
        byte[] key = "user:12345:profile:name".getBytes(StandardCharsets.UTF_8);
        String c = cursors.encode(key);
        long id = Long.parseLong(c); // a signed 64-bit number: no NumberFormatException
        assertThat(id).isGreaterThanOrEqualTo(1L << 62);
        assertThat(cursors.encode(key)).as("a fresh id per scan").isNotEqualTo(c);
        assertThat(cursors.tableSize()).isEqualTo(2);
        assertThat(cursors.decode(c)).isEqualTo(key);
        assertThat(cursors.decode(c)).as("an id is used up").isNull();
        assertThat(cursors.tableSize()).isEqualTo(1);
        assertThat(new ScanCursors().decode(cursors.encode(key)))
                .as("another server (a restart)")
                .isNull();
    }

    @Test
    void tableCursorsExpireAndAreEvictedPastTheBound() {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        ScanCursors cursors =
                new ScanCursors(10 * (ScanCursors.ENTRY_OVERHEAD + 8), java.time.Duration.ofMinutes(10), nanos::get);
        String c = cursors.encode("12345678".getBytes(StandardCharsets.UTF_8));
        nanos.addAndGet(java.time.Duration.ofMinutes(10).toNanos() + 1);
        assertThat(cursors.decode(c)).as("expired").isNull();
        List<String> issued = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            issued.add(cursors.encode(String.format("key%05d", i).getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(cursors.tableSize()).isLessThanOrEqualTo(10);
        assertThat(issued.stream().filter(id -> cursors.decode(id) != null).count())
                .isLessThanOrEqualTo(10);
    }

    @Test
    void cursorsThisServerDidNotIssueAreInvalid() {
        ScanCursors cursors = new ScanCursors();
        for (String bad : new String[] {
            "abc",
            "007",
            "-5",
            "+5",
            "",
            "1",
            "255", // 0xff: no 0x01 marker
            Long.toString(1L << 57), // past the direct range, below the table's
            Long.toString((1L << 62) + 12345), // a table id never issued
            "9223372036854775808",
            "18446744073709551615", // above 2^63 - 1
            "340282366920938463463374607431768211455"
        }) {
            assertThat(cursors.decode(bad)).as(bad).isNull();
        }
    }
}
