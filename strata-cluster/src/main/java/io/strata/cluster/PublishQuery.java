package io.strata.cluster;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages one node's clients published, sent to another member for its subscribers, as a Ratis
 * read-only message beside {@link NodeQuery}: any member takes it, leader or not, and nothing
 * of it enters the log.
 *
 * <p>Encoding: version u8 (2, NodeQuery's) | kind u8 (4) | count fixed32 BE | per message:
 * channel length fixed32 BE | channel | message length fixed32 BE | message.
 *
 * @param messages each {@code [channel, message]}, in the order they were published
 */
record PublishQuery(List<byte[][]> messages) {
    private static final byte VERSION = 2;
    static final byte KIND = 4;

    /** Whether {@code b} (not consumed) holds one of these rather than a {@link NodeQuery}. */
    static boolean is(ByteBuffer b) {
        return b.remaining() >= 2 && b.get(b.position()) == VERSION && b.get(b.position() + 1) == KIND;
    }

    byte[] encode() {
        int size = 2 + 4;
        for (byte[][] m : messages) {
            size += 8 + m[0].length + m[1].length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(VERSION).put(KIND).putInt(messages.size());
        for (byte[][] m : messages) {
            b.putInt(m[0].length).put(m[0]).putInt(m[1].length).put(m[1]);
        }
        return b.array();
    }

    static PublishQuery decode(ByteBuffer b) {
        if (!is(b)) {
            throw new IllegalArgumentException("not a publish query");
        }
        b.position(b.position() + 2);
        int count = b.remaining() < 4 ? -1 : b.getInt();
        if (count < 0 || count > b.remaining() / 8) {
            throw new IllegalArgumentException("publish query of " + count + " messages");
        }
        List<byte[][]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new byte[][] {part(b), part(b)});
        }
        return new PublishQuery(out);
    }

    private static byte[] part(ByteBuffer b) {
        int n = b.remaining() < 4 ? -1 : b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("publish query part of " + n + " bytes");
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }
}
