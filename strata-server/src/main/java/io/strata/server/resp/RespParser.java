package io.strata.server.resp;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * An incremental, bounded parser of client requests: RESP multibulk arrays of bulk strings
 * ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) and inline commands ({@code GET k\r\n}, what telnet
 * sends), as Redis parses them.
 *
 * <p>Every length is checked against its limit as soon as its header line is read, before
 * anything is allocated for it, and the argument array grows with the arguments that have
 * arrived rather than with the count the header announces: a {@code $2147483647} or
 * {@code *2147483647} header costs nothing. A bulk string is copied out only once all of its
 * bytes are in the buffer, so memory follows what the client actually sent. The parser
 * keeps the arguments of a partly received request between calls, so a request that arrives
 * in many pieces is parsed once, not once per piece.
 *
 * <p>Not thread-safe: one parser per connection.
 */
public final class RespParser {
    /** Longest inline request, and longest header line ({@code *n} or {@code $n}): 64 KiB, as in Redis. */
    public static final int MAX_INLINE_LENGTH = 64 * 1024;
    /** Before AUTH: at most this many arguments (Redis's limit). */
    public static final int UNAUTHENTICATED_MAX_ARGS = 10;
    /** Before AUTH: at most this many bytes per argument (Redis's limit). */
    public static final int UNAUTHENTICATED_MAX_BULK = 16 * 1024;

    private static final byte[][] NONE = new byte[0][];

    /** Limits read at each header, so a CONFIG SET applies to the next request. */
    public interface Limits {
        /** Largest bulk string (proto-max-bulk-len). */
        long maxBulkLength();

        /** Most arguments in one request. */
        long maxArguments();

        /** Most bytes of arguments in one request (client-query-buffer-limit). */
        long maxRequestBytes();
    }

    private final Limits limits;

    // The request being parsed: expected < 0 when between requests.
    private long expected = -1;
    private byte[][] args = NONE;
    private int argc;
    private long bulkLength = -1;
    private long requestBytes;

    public RespParser(Limits limits) {
        this.limits = limits;
    }

    /**
     * Parses the next complete request from {@code in}, consuming its bytes. Returns null when
     * {@code in} holds only part of one (the bytes consumed so far are remembered). Empty
     * requests (a blank inline line, {@code *0}) are skipped.
     *
     * @param authenticated false applies Redis's pre-AUTH limits (10 arguments, 16 KiB each) to
     *     multibulk requests; an inline request, as in Redis, is bounded by its line's length
     */
    public byte[][] next(ByteBuf in, boolean authenticated) throws ProtocolException {
        while (true) {
            if (expected < 0) {
                if (!in.isReadable()) {
                    return null;
                }
                if (in.getByte(in.readerIndex()) != '*') {
                    byte[][] inline = inline(in);
                    if (inline == null) {
                        return null;
                    }
                    if (inline.length == 0) {
                        continue;
                    }
                    return inline;
                }
                int cr = headerLineEnd(in, "too big mbulk count string");
                if (cr < 0) {
                    return null;
                }
                long count = parseLength(in, in.readerIndex() + 1, cr);
                if (count == Long.MIN_VALUE || count > Integer.MAX_VALUE || count > limits.maxArguments()) {
                    throw new ProtocolException("invalid multibulk length");
                }
                if (!authenticated && count > UNAUTHENTICATED_MAX_ARGS) {
                    throw new ProtocolException("unauthenticated multibulk length");
                }
                in.readerIndex(cr + 2);
                if (count <= 0) {
                    continue;
                }
                expected = count;
                argc = 0;
                requestBytes = 0;
                args = new byte[(int) Math.min(count, 16)][];
            }
            while (argc < expected) {
                if (bulkLength < 0) {
                    if (!in.isReadable()) {
                        return null;
                    }
                    int cr = headerLineEnd(in, "too big bulk count string");
                    if (cr < 0) {
                        return null;
                    }
                    byte first = in.getByte(in.readerIndex());
                    if (first != '$') {
                        throw new ProtocolException("expected '$', got '" + printable(first) + "'");
                    }
                    long length = parseLength(in, in.readerIndex() + 1, cr);
                    if (length < 0 || length > limits.maxBulkLength()) {
                        throw new ProtocolException("invalid bulk length");
                    }
                    if (!authenticated && length > UNAUTHENTICATED_MAX_BULK) {
                        throw new ProtocolException("unauthenticated bulk length");
                    }
                    if (requestBytes + length > limits.maxRequestBytes()) {
                        throw new ProtocolException("request exceeds client-query-buffer-limit");
                    }
                    in.readerIndex(cr + 2);
                    bulkLength = length;
                }
                if (in.readableBytes() < bulkLength + 2) {
                    return null; // the data has not arrived yet; nothing is allocated for it
                }
                byte[] arg = new byte[(int) bulkLength];
                in.readBytes(arg);
                if (in.readByte() != '\r' || in.readByte() != '\n') {
                    throw new ProtocolException("expected '\\r\\n' after a bulk string of " + bulkLength + " bytes");
                }
                requestBytes += bulkLength;
                bulkLength = -1;
                if (argc == args.length) {
                    args = Arrays.copyOf(args, (int) Math.min(expected, 2L * args.length));
                }
                args[argc++] = arg;
            }
            byte[][] request = args.length == argc ? args : Arrays.copyOf(args, argc);
            expected = -1;
            args = NONE;
            argc = 0;
            return request;
        }
    }

    /**
     * The index of the '\r' that ends the header line at the reader index, or -1 if the line
     * (with its '\n') has not fully arrived.
     */
    private static int headerLineEnd(ByteBuf in, String tooLong) throws ProtocolException {
        int start = in.readerIndex();
        int scan = Math.min(in.readableBytes(), MAX_INLINE_LENGTH + 2);
        int cr = in.indexOf(start, start + scan, (byte) '\r');
        if (cr < 0) {
            if (in.readableBytes() > MAX_INLINE_LENGTH) {
                throw new ProtocolException(tooLong);
            }
            return -1;
        }
        if (cr + 1 >= in.writerIndex()) {
            return -1;
        }
        if (in.getByte(cr + 1) != '\n') {
            throw new ProtocolException("expected '\\n' after '\\r'");
        }
        return cr;
    }

    /** A decimal length as Redis's string2ll accepts it, or Long.MIN_VALUE if malformed. */
    private static long parseLength(ByteBuf in, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > 19) {
            return Long.MIN_VALUE;
        }
        int i = from;
        boolean negative = false;
        if (in.getByte(i) == '-') {
            negative = true;
            i++;
            if (i == to) {
                return Long.MIN_VALUE;
            }
        }
        if (in.getByte(i) == '0' && to - i > 1) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return Long.MIN_VALUE;
            }
            if (v > (Long.MAX_VALUE - (b - '0')) / 10) {
                return Long.MIN_VALUE; // overflows a long: string2ll rejects it too
            }
            v = v * 10 + (b - '0');
        }
        return negative ? -v : v;
    }

    private byte[][] inline(ByteBuf in) throws ProtocolException {
        int start = in.readerIndex();
        int scan = Math.min(in.readableBytes(), MAX_INLINE_LENGTH + 2);
        int lf = in.indexOf(start, start + scan, (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > MAX_INLINE_LENGTH) {
                throw new ProtocolException("too big inline request");
            }
            return null;
        }
        int end = lf;
        if (end > start && in.getByte(end - 1) == '\r') {
            end--;
        }
        if (end - start > MAX_INLINE_LENGTH) {
            throw new ProtocolException("too big inline request");
        }
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(lf + 1);
        byte[][] argv = InlineSplitter.split(line);
        if (argv == null) {
            throw new ProtocolException("unbalanced quotes in request");
        }
        return argv;
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? Character.toString((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
