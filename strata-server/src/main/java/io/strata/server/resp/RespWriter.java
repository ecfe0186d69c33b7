package io.strata.server.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Encodes replies in RESP2 or RESP3, for one connection. Replies accumulate in one buffer that
 * the owner hands to the channel with {@link #drain()} (once per batch of requests, so a
 * pipeline costs one write and one flush, not one per reply). Large bulk strings are passed
 * to the sink as they are, without being copied into the buffer.
 *
 * <p>The protocol is fixed per reply at the moment it is encoded, so a {@code HELLO 3} in the
 * middle of a pipeline switches exactly the replies after it.
 *
 * <p>RESP3-only types fall back as Redis does: a map becomes a flat array of 2n elements, a
 * set an array, null {@code _} becomes {@code $-1} (or {@code *-1} for a null array), a verbatim
 * string a bulk string.
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    /** Bulk strings at least this long are written as their own buffer, not copied. */
    static final int ZERO_COPY_THRESHOLD = 16 * 1024;

    private final ByteBufAllocator alloc;
    private final Consumer<ByteBuf> sink;
    private ByteBuf buf;
    private int protocol = 2;
    /** CLIENT REPLY OFF / SKIP: what is encoded meanwhile is dropped instead of sent. */
    private boolean muted;

    /** @param sink receives the encoded buffers in order; it takes ownership of each */
    public RespWriter(ByteBufAllocator alloc, Consumer<ByteBuf> sink) {
        this.alloc = alloc;
        this.sink = sink;
    }

    /** 2 or 3: the protocol of the replies encoded from now on. */
    public void protocol(int version) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("RESP version must be 2 or 3, got " + version);
        }
        this.protocol = version;
    }

    public boolean resp3() {
        return protocol == 3;
    }

    /** Appends a reply encoded elsewhere (by the leader, for a forwarded command), as it is. */
    public void raw(byte[] encoded) {
        out().writeBytes(encoded);
    }

    /** Hands what has been encoded to the sink (drops it while muted). Returns true if there was anything. */
    public boolean drain() {
        if (buf == null || !buf.isReadable()) {
            return false;
        }
        ByteBuf b = buf;
        buf = null;
        emit(b);
        return true;
    }

    private void emit(ByteBuf b) {
        if (muted) {
            b.release();
        } else {
            sink.accept(b);
        }
    }

    /**
     * Mutes or unmutes the replies encoded from now on (CLIENT REPLY): what was encoded before the
     * change keeps the state it was encoded under.
     */
    public void mute(boolean on) {
        if (on != muted) {
            drain();
            muted = on;
        }
    }

    public boolean muted() {
        return muted;
    }

    /**
     * Encodes what the server pushes (Pub/Sub messages and confirmations, MONITOR's lines): sent
     * under CLIENT REPLY OFF and SKIP too, as Redis 7.2 sends what it writes while CLIENT_PUSHING.
     */
    public void unmuted(Runnable encode) {
        boolean was = muted;
        mute(false);
        encode.run();
        mute(was); // muting drains what encode wrote first
    }

    /** Drops what has not been drained (the connection is closing). */
    public void discard() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }

    private ByteBuf out() {
        if (buf == null) {
            buf = alloc.buffer(256);
        }
        return buf;
    }

    private void prefix(char type, long n) {
        ByteBuf b = out();
        b.writeByte(type);
        writeDecimal(b, n);
        b.writeBytes(CRLF);
    }

    private static void writeDecimal(ByteBuf b, long n) {
        if (n >= 0 && n < 10) {
            b.writeByte('0' + (int) n);
        } else {
            b.writeCharSequence(Long.toString(n), StandardCharsets.US_ASCII);
        }
    }

    private void line(char type, String text) {
        ByteBuf b = out();
        b.writeByte(type);
        // A status or error line must not contain CR or LF: Redis replaces them with spaces.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                text = text.replace('\r', ' ').replace('\n', ' ');
                break;
            }
        }
        b.writeCharSequence(text, StandardCharsets.UTF_8);
        b.writeBytes(CRLF);
    }

    /** {@code +text}: a status reply such as OK. */
    public void simple(String text) {
        line('+', text);
    }

    public void ok() {
        simple("OK");
    }

    /**
     * {@code -text}: an error. {@code text} starts with the error code (ERR, WRONGTYPE, NOAUTH,
     * ...), as in Redis.
     */
    public void error(String text) {
        line('-', text);
    }

    /** {@code :n} */
    public void integer(long n) {
        prefix(':', n);
    }

    /** A double: {@code ,v} in RESP3, a bulk string in RESP2 (as Redis sends ACL LOG's age-seconds). */
    public void doubleValue(double v) {
        String s = Double.toString(v);
        if (resp3()) {
            line(',', s);
        } else {
            bulk(s);
        }
    }

    /** A boolean: RESP3's {@code #t} / {@code #f}; in RESP2 the integer 1 or 0, as Redis's addReplyBool. */
    public void bool(boolean b) {
        if (resp3()) {
            line('#', b ? "t" : "f");
        } else {
            integer(b ? 1 : 0);
        }
    }

    /** A big number given as its digits: RESP3's {@code (}; in RESP2 a bulk string. */
    public void bigNumber(String digits) {
        if (resp3()) {
            line('(', digits);
        } else {
            bulk(digits);
        }
    }

    /** A double given as its text (a script's, as Lua formatted it): RESP3's {@code ,}; in RESP2 a bulk string. */
    public void doubleText(String text) {
        if (resp3()) {
            line(',', text);
        } else {
            bulk(text);
        }
    }

    public void bulk(String s) {
        bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    public void bulk(byte[] data) {
        bulk(data, 0, data.length);
    }

    /** {@code $len\r\n<bytes>\r\n}; a long one is passed to the sink without a copy. */
    public void bulk(byte[] data, int offset, int length) {
        prefix('$', length);
        if (length >= ZERO_COPY_THRESHOLD) {
            drain();
            emit(Unpooled.wrappedBuffer(data, offset, length));
        } else {
            out().writeBytes(data, offset, length);
        }
        out().writeBytes(CRLF);
    }

    /** The null reply: {@code _} in RESP3, a null bulk string {@code $-1} in RESP2. */
    public void nullBulk() {
        if (resp3()) {
            nullResp3();
        } else {
            prefix('$', -1);
        }
    }

    /** The null reply: {@code _} in RESP3, a null array {@code *-1} in RESP2. */
    public void nullArray() {
        if (resp3()) {
            nullResp3();
        } else {
            prefix('*', -1);
        }
    }

    private void nullResp3() {
        out().writeByte('_').writeBytes(CRLF);
    }

    /** The header of an array of {@code n} replies. */
    public void array(long n) {
        prefix('*', n);
    }

    /** The header of a push of {@code n} elements (Pub/Sub messages): {@code >} in RESP3, an array in RESP2. */
    public void push(long n) {
        prefix(resp3() ? '>' : '*', n);
    }

    /** The header of a map of {@code n} key-value pairs (RESP2: an array of 2n). */
    public void map(long n) {
        if (resp3()) {
            prefix('%', n);
        } else {
            prefix('*', 2 * n);
        }
    }

    /** The header of a set of {@code n} replies (RESP2: an array). */
    public void set(long n) {
        prefix(resp3() ? '~' : '*', n);
    }

    /** {@code =len\r\ntxt:<text>} in RESP3 (how Redis sends INFO and CLIENT LIST); a bulk string in RESP2. */
    public void verbatim(String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        if (resp3()) {
            prefix('=', data.length + 4L);
            out().writeBytes("txt:".getBytes(StandardCharsets.US_ASCII))
                    .writeBytes(data)
                    .writeBytes(CRLF);
        } else {
            bulk(data);
        }
    }
}
