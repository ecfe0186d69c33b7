package io.strata.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What one node asks the state machine of another (or its own) outside the log, as a Ratis
 * read-only message.
 *
 * <p>Encoding: version u8 (2) | kind u8: 1 = barrier (nothing; the read index is the point) |
 * 2 = forward: protocol u8 (2 or 3) | user length fixed32 BE | user UTF-8 | argc fixed32 BE |
 * (length fixed32 BE | bytes) per argument. (Version 1 had no user.)
 *
 * @param argv the forwarded command, or null for a barrier
 * @param user the ACL user the forwarding node checked the command against; null for a barrier
 */
record NodeQuery(byte[][] argv, int protocol, String user) {
    static final NodeQuery BARRIER = new NodeQuery(null, 0, null);
    private static final byte VERSION = 2;
    private static final byte KIND_BARRIER = 1;
    private static final byte KIND_FORWARD = 2;

    boolean barrier() {
        return argv == null;
    }

    byte[] encode() {
        if (argv == null) {
            return new byte[] {VERSION, KIND_BARRIER};
        }
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        int size = 2 + 1 + 4 + name.length + 4;
        for (byte[] a : argv) {
            size += 4 + a.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(VERSION).put(KIND_FORWARD).put((byte) protocol);
        b.putInt(name.length).put(name);
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
        int userLength = b.getInt();
        if (userLength < 0 || userLength > b.remaining() - 4) {
            throw new IllegalArgumentException("forwarded command with a user of " + userLength + " bytes");
        }
        byte[] name = new byte[userLength];
        b.get(name);
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
        return new NodeQuery(args.toArray(new byte[0][]), protocol, new String(name, StandardCharsets.UTF_8));
    }
}
