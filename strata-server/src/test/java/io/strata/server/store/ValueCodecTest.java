package io.strata.server.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValueCodecTest {
    @Test
    void headerLayout() {
        byte[] plain = ValueCodec.encode("abc".getBytes(UTF_8), 0);
        assertThat(plain).containsExactly(0, 'a', 'b', 'c');
        assertThat(ValueCodec.expireAt(plain)).isZero();
        assertThat(ValueCodec.payloadOffset(plain)).isEqualTo(1);

        long at = 0x0102030405060708L;
        byte[] ttl = ValueCodec.encode("x".getBytes(UTF_8), at);
        assertThat(ttl).containsExactly(0x10, 8, 7, 6, 5, 4, 3, 2, 1, 'x');
        assertThat(ValueCodec.expireAt(ttl)).isEqualTo(at);
        assertThat(ValueCodec.payloadOffset(ttl)).isEqualTo(9);
    }

    @Test
    void liveness() {
        byte[] v = ValueCodec.encode("x".getBytes(UTF_8), 1000);
        assertThat(Keyspace.decodeLive(v, 999)).isNotNull();
        assertThat(Keyspace.decodeLive(v, 1000)).isNull();
        assertThat(Keyspace.decodeLive(null, 0)).isNull();
        StoredValue s = Keyspace.decodeLive(ValueCodec.encode("hey".getBytes(UTF_8), 0), 5);
        assertThat(s.payload()).isEqualTo("hey".getBytes(UTF_8));
        assertThat(s.hasExpiry()).isFalse();
    }

    @Test
    void unknownHeadersAreRefused() {
        assertThatThrownBy(() -> ValueCodec.expireAt(new byte[] {(byte) 0x80, 1}))
                .hasMessageContaining("0x80");
        assertThatThrownBy(() -> ValueCodec.expireAt(new byte[] {1})).hasMessageContaining("0x01");
        assertThatThrownBy(() -> ValueCodec.expireAt(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> ValueCodec.expireAt(new byte[] {0x10, 1, 2})).hasMessageContaining("too short");
    }
}
