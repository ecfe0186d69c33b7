package io.strata.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * Finds where each RESP2 reply (simple string, error, integer, bulk string, array) ends in a
 * byte stream delivered in arbitrary chunks, and reports each complete reply's type byte.
 * Tests only: it trusts the stream (the server's).
 */
final class ReplyScanner {
    /** Bytes of the reply not yet complete. */
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    void feed(byte[] chunk, int length, Consumer<Byte> onReply) {
        partial.write(chunk, 0, length);
        byte[] b = partial.toByteArray();
        int pos = 0;
        for (int end = end(b, pos); end > 0; end = end(b, pos)) {
            onReply.accept(b[pos]);
            pos = end;
        }
        partial.reset();
        partial.write(b, pos, b.length - pos);
    }

    /** The offset just past the reply starting at {@code pos}, or -1 if it is not all there. */
    private static int end(byte[] b, int pos) {
        int lineEnd = lineEnd(b, pos);
        if (lineEnd < 0) {
            return -1;
        }
        byte type = b[pos];
        long n = type == '$' || type == '*' ? Long.parseLong(new String(b, pos + 1, lineEnd - pos - 3, UTF_8)) : 0;
        if (type == '$' && n >= 0) {
            return lineEnd + n + 2 <= b.length ? (int) (lineEnd + n + 2) : -1;
        }
        int next = lineEnd;
        for (long i = 0; type == '*' && i < n; i++) {
            next = end(b, next);
            if (next < 0) {
                return -1;
            }
        }
        return next;
    }

    /** The offset past the CRLF of the line starting at {@code pos}, or -1. */
    private static int lineEnd(byte[] b, int pos) {
        for (int i = pos; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i + 2;
            }
        }
        return -1;
    }
}
