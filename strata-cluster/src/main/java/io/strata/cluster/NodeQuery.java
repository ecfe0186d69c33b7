package io.strata.cluster;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What one node asks the state machine of another (or its own) outside the log, as a Ratis
 * read-only message.
 *
 * <p>Encoding: version u8 (1) | kind u8: 1 = barrier (nothing; the read index is the point) |
 * 2 = forward: protocol u8 (2 or 3) | argc fixed32 BE | (length fixed32 BE | bytes) per argument.
 *
 * @param argv the forwarded command, or null for a barrier
 */
record NodeQuery(byte[][] argv, int protocol) {
    static final NodeQuery BARRIER = new NodeQuery(null, 0);
    private static final byte VERSION = 1;
    private static final byte KIND_BARRIER = 1;
    private static final byte KIND_FORWARD = 2;

    boolean barrier() {
        return argv == null;
    }

    byte[] encode() {
        if (argv == null) {
            return new byte[] {VERSION, KIND_BARRIER};
        }
        int size = 2 + 1 + 4;
        for (byte[] a : argv) {
            size += 4 + a.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(VERSION).put(KIND_FORWARD).put((byte) protocol);
        b.putInt(argv.length);
        for (byte[] a : argv) {
            b.putInt(a.length).put(a);
        }
        return b.array();
    }

    static NodeQuery decode(ByteBuffer b) {
        if (b.remaining() < 2 || b.get() != VERSION) {
            throw new IllegalArgumentException("not a node query of format " + VERSION);
        }
        byte kind = b.get();
        if (kind == KIND_BARRIER) {
            return BARRIER;
        }
        if (kind != KIND_FORWARD || b.remaining() < 5) {
            throw new IllegalArgumentException("unknown node query kind " + kind);
        }
        int protocol = b.get();
        int argc = b.getInt();
        if (argc < 1 || argc > b.remaining() / 4) {
            throw new IllegalArgumentException("forwarded command with " + argc + " arguments");
        }
        List<byte[]> args = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            int n = b.getInt();
            if (n < 0 || n > b.remaining()) {
                throw new IllegalArgumentException("forwarded argument " + i + " of " + n + " bytes");
            }
            byte[] a = new byte[n];
            b.get(a);
            args.add(a);
        }
        return new NodeQuery(args.toArray(new byte[0][]), protocol);
    }
}
