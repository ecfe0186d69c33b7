package io.strata.server.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A {@link RespWriter} whose replies are kept as bytes instead of being sent: the reply of a
 * command another node forwarded, or EXEC's replies until its writes are stored.
 *
 * <p>Confined to one thread, as the writer.
 */
public final class ReplyBuffer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final RespWriter out = new RespWriter(UnpooledByteBufAllocator.DEFAULT, this::keep);

    /** @param protocol the RESP version the replies start in (2 or 3) */
    public ReplyBuffer(int protocol) {
        out.protocol(protocol);
    }

    public RespWriter out() {
        return out;
    }

    /** The replies encoded since the last call. */
    public byte[] take() {
        out.drain();
        byte[] b = bytes.toByteArray();
        bytes.reset();
        return b;
    }

    private void keep(ByteBuf b) {
        try {
            b.readBytes(bytes, b.readableBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        } finally {
            b.release();
        }
    }
}
