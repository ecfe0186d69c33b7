package io.strata.server.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RespWriterTest {
    private final StringBuilder sent = new StringBuilder();

    private RespWriter writer(int protocol) {
        RespWriter w = new RespWriter(UnpooledByteBufAllocator.DEFAULT, (ByteBuf b) -> {
            sent.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        });
        w.protocol(protocol);
        return w;
    }

    private String encode(int protocol, java.util.function.Consumer<RespWriter> f) {
        sent.setLength(0);
        RespWriter w = writer(protocol);
        f.accept(w);
        w.drain();
        return sent.toString();
    }

    @Test
    void resp2() {
        assertThat(encode(2, w -> w.ok())).isEqualTo("+OK\r\n");
        assertThat(encode(2, w -> w.error("ERR x\r\ny"))).isEqualTo("-ERR x  y\r\n");
        assertThat(encode(2, w -> w.integer(-42))).isEqualTo(":-42\r\n");
        assertThat(encode(2, RespWriter::nullBulk)).isEqualTo("$-1\r\n");
        assertThat(encode(2, RespWriter::nullArray)).isEqualTo("*-1\r\n");
        assertThat(encode(2, w -> {
                    w.map(1);
                    w.bulk("k");
                    w.bulk("v");
                }))
                .isEqualTo("*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
        assertThat(encode(2, w -> w.set(0))).isEqualTo("*0\r\n");
        assertThat(encode(2, w -> w.verbatim("hi"))).isEqualTo("$2\r\nhi\r\n");
    }

    @Test
    void resp3() {
        assertThat(encode(3, RespWriter::nullBulk)).isEqualTo("_\r\n");
        assertThat(encode(3, RespWriter::nullArray)).isEqualTo("_\r\n");
        assertThat(encode(3, w -> {
                    w.map(1);
                    w.bulk("k");
                    w.integer(1);
                }))
                .isEqualTo("%1\r\n$1\r\nk\r\n:1\r\n");
        assertThat(encode(3, w -> w.set(2))).isEqualTo("~2\r\n");
        assertThat(encode(3, w -> w.verbatim("hi"))).isEqualTo("=6\r\ntxt:hi\r\n");
    }

    @Test
    void largeBulkIsPassedWithoutCopyAndInOrder() {
        byte[] big = new byte[RespWriter.ZERO_COPY_THRESHOLD + 5];
        java.util.Arrays.fill(big, (byte) 'a');
        String out = encode(2, w -> {
            w.ok();
            w.bulk(big);
            w.integer(1);
        });
        assertThat(out).isEqualTo("+OK\r\n$" + big.length + "\r\n" + "a".repeat(big.length) + "\r\n:1\r\n");
    }
}
