package io.strata.server.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExpiredValueFilterTest {
    @Test
    void dropsExactlyWhatReadsHide() {
        AtomicLong now = new AtomicLong(1000);
        ExpiredValueFilter f = new ExpiredValueFilter(now::get);
        byte[] key = {'k'};
        byte[] expiring = ValueCodec.encode("x".getBytes(UTF_8), 1000);
        byte[] plain = ValueCodec.encode("x".getBytes(UTF_8), 0);
        now.set(999);
        assertThat(f.shouldDrop(key, expiring)).isFalse();
        assertThat(Keyspace.decodeLive(expiring, now.get())).isNotNull();
        now.set(1000);
        assertThat(f.shouldDrop(key, expiring)).isTrue();
        assertThat(Keyspace.decodeLive(expiring, now.get())).isNull();
        assertThat(f.shouldDrop(key, plain)).isFalse();
    }

    @Test
    void keepsValuesItCannotDecode() {
        ExpiredValueFilter f = new ExpiredValueFilter(() -> Long.MAX_VALUE);
        assertThat(f.shouldDrop(new byte[] {1}, new byte[0])).isFalse();
        assertThat(f.shouldDrop(new byte[] {1}, new byte[] {(byte) 0x80, 1})).isFalse();
        assertThat(f.shouldDrop(new byte[] {1}, new byte[] {0x10, 1})).isFalse();
    }
}
