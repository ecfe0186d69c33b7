package io.strata.server.resp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target: the server's request parser over arbitrary bytes delivered in arbitrary chunks.
 * The only allowed failure is {@link ProtocolException}. Every request returned must respect
 * the limits, the chunking must not change the outcome (same requests, same error as when all
 * bytes arrive at once), and allocation must follow the bytes sent, never a length header.
 *
 * <p>Input layout (FuzzedDataProvider): authenticated flag, then the request bytes, then chunk
 * sizes from what is left. Seeds: {@code RespParserFuzzTestInputs/parse/}.
 */
class RespParserFuzzTest {
    private static final long MAX_BULK = 4096;
    private static final long MAX_ARGS = 64;
    private static final long MAX_REQUEST = 64 * 1024;
    private static final RespParser.Limits LIMITS = new RespParser.Limits() {
        @Override
        public long maxBulkLength() {
            return MAX_BULK;
        }

        @Override
        public long maxArguments() {
            return MAX_ARGS;
        }

        @Override
        public long maxRequestBytes() {
            return MAX_REQUEST;
        }
    };
    /** Fixed allowance for class loading and the like, plus this much per input byte. */
    private static final long FIXED_ALLOWANCE = 8L * 1024 * 1024;

    private static final long PER_INPUT_BYTE = 64;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** What parsing a byte stream gave: the requests, and the protocol error that ended it (or null). */
    private record Outcome(List<String> requests, String error) {}

    @FuzzTest
    void parse(FuzzedDataProvider data) {
        boolean authenticated = data.consumeBoolean();
        byte[] bytes = data.consumeBytes(data.consumeInt(0, 1 << 20));
        int[] chunks = new int[Math.min(data.remainingBytes(), 256)];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = data.consumeInt(1, Math.max(1, bytes.length));
        }
        long budget = FIXED_ALLOWANCE + PER_INPUT_BYTE * bytes.length;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Outcome whole = feed(bytes, new int[0], authenticated);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (allocated > budget) {
            // a first run loads classes in this thread: only a repeatable excess counts
            before = THREADS.getCurrentThreadAllocatedBytes();
            feed(bytes, new int[0], authenticated);
            allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (allocated > budget) {
                throw new AssertionError(
                        "parser allocated " + allocated + " bytes for " + bytes.length + " input bytes");
            }
        }
        Outcome chunked = feed(bytes, chunks, authenticated);
        if (!whole.equals(chunked)) {
            throw new AssertionError("chunking changed the outcome: at once " + whole + ", in chunks "
                    + Arrays.toString(chunks) + " " + chunked);
        }
    }

    /** Feeds {@code bytes} in pieces of the given sizes (the rest at once), as a connection would. */
    private static Outcome feed(byte[] bytes, int[] chunks, boolean authenticated) {
        RespParser parser = new RespParser(LIMITS);
        ByteBuf buf = Unpooled.buffer();
        List<String> requests = new ArrayList<>();
        int offset = 0;
        int chunk = 0;
        try {
            while (offset < bytes.length) {
                int n = chunk < chunks.length
                        ? Math.min(chunks[chunk++], bytes.length - offset)
                        : bytes.length - offset;
                buf.writeBytes(bytes, offset, n);
                offset += n;
                long calls = 0;
                for (byte[][] req = parser.next(buf, authenticated);
                        req != null;
                        req = parser.next(buf, authenticated)) {
                    if (++calls > bytes.length) {
                        throw new AssertionError("parser returned more requests than bytes it was given");
                    }
                    check(req, authenticated);
                    requests.add(show(req));
                }
                buf.discardSomeReadBytes();
            }
            return new Outcome(requests, null);
        } catch (ProtocolException e) {
            return new Outcome(requests, e.getMessage());
        } finally {
            buf.release();
        }
    }

    private static void check(byte[][] req, boolean authenticated) {
        long bytes = 0;
        for (byte[] arg : req) {
            if (arg == null) {
                throw new AssertionError("null argument");
            }
            bytes += arg.length;
        }
        // Before AUTH a multibulk request has at most 10 arguments; an inline one (as in Redis)
        // is bounded by its line instead, which holds at least one byte per argument.
        boolean fitsInline = bytes + req.length <= RespParser.MAX_INLINE_LENGTH + 1;
        if (req.length == 0
                || (req.length > MAX_ARGS && !fitsInline)
                || (!authenticated && req.length > RespParser.UNAUTHENTICATED_MAX_ARGS && !fitsInline)) {
            throw new AssertionError("request of " + req.length + " arguments, " + bytes + " bytes");
        }
    }

    private static String show(byte[][] req) {
        StringBuilder sb = new StringBuilder();
        for (byte[] arg : req) {
            sb.append(new String(arg, StandardCharsets.ISO_8859_1)).append('\u0000');
        }
        return sb.toString();
    }

    /** Writes the seed corpus: {@code main <test resources dir>}. */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0], "io/strata/server/resp/RespParserFuzzTestInputs/parse"));
        seed(dir, "multibulk", true, "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
        seed(dir, "inline", true, "SET key \"va\\x41l\\nue\" 'it\\'s'\r\nPING\n");
        seed(dir, "pipelined", true, """
                *3
                $3
                SET
                $1
                a
                $1
                1
                *1
                $4
                PING
                GET a
                *0
                *-1
                *2
                $4
                ECHO
                $0

                """);
        seed(dir, "unauthenticated", false, "*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n");
        seed(dir, "big-header", true, "*2\r\n$2147483647\r\nab");
    }

    /** Seed layout matching {@link #parse}: flag, length (4 bytes, big-endian), bytes, chunk sizes. */
    private static void seed(Path dir, String name, boolean authenticated, String request) throws IOException {
        byte[] req = request.getBytes(StandardCharsets.ISO_8859_1);
        // FuzzedDataProvider takes primitives from the end of the input and bytes from its start.
        byte[] out = new byte[req.length + 4 + 4 + 1];
        System.arraycopy(req, 0, out, 0, req.length);
        int p = req.length;
        out[p++] = 3; // chunk size hints
        out[p++] = 1;
        out[p++] = 7;
        out[p++] = 2;
        int len = req.length;
        out[p++] = (byte) len;
        out[p++] = (byte) (len >>> 8);
        out[p++] = (byte) (len >>> 16);
        out[p++] = (byte) (len >>> 24);
        out[p] = (byte) (authenticated ? 1 : 0);
        Files.write(dir.resolve(name), out);
    }
}
