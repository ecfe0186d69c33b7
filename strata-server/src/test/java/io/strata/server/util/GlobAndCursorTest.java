package io.strata.server.util;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class GlobAndCursorTest {
    static boolean m(String p, String s) {
        return Glob.matches(p.getBytes(StandardCharsets.UTF_8), s.getBytes(StandardCharsets.UTF_8));
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
        assertThat(Glob.matchesIgnoreCase("MAX*".getBytes(), "maxclients".getBytes())).isTrue();
        assertThat(new String(Glob.literalPrefix("user:\\*x*".getBytes()))).isEqualTo("user:*x");
        assertThat(Glob.literalPrefix("*a".getBytes())).isEmpty();
    }

    @Test
    void cursorsRoundTripKeys() {
        assertThat(ScanCursor.decode("0")).isEmpty();
        for (String k : new String[] {"a", "user:1", "\0\0x", "a much longer key than eight bytes"}) {
            byte[] key = k.getBytes(StandardCharsets.ISO_8859_1);
            String c = ScanCursor.encode(key);
            assertThat(c).matches("[1-9][0-9]*");
            assertThat(ScanCursor.decode(c)).isEqualTo(key);
        }
        // keys of up to 7 bytes give cursors that fit an unsigned 64-bit integer
        assertThat(new java.math.BigInteger(ScanCursor.encode("1234567".getBytes())).bitLength()).isLessThanOrEqualTo(64);
        assertThat(ScanCursor.decode("abc")).isNull();
        assertThat(ScanCursor.decode("007")).isNull();
        assertThat(ScanCursor.decode("1")).isNull();
        assertThat(ScanCursor.decode("255")).isNull(); // 0xff: does not start with 0x01
    }
}
