package io.strata.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one node asks the state machine of another (or its own) outside the log, as a Ratis
 * read-only message.
 *
 * <p>Encoding: version u8 (2) | kind u8: 1 = barrier (nothing; the read index is the point) |
 * 2 = forward one command: protocol u8 (2 or 3) | user | command | 3 = forward several commands
 * (a transaction: MULTI, the queued commands, EXEC), the last one's reply wanted: protocol u8 |
 * user | count fixed32 BE | command per command; where user := length fixed32 BE | UTF-8 bytes
 * (the ACL user the forwarding node checked the commands against) and command := argc fixed32 BE
 * | (length fixed32 BE | bytes) per argument. (Version 1 had no user.) Kind 4 is a
 * {@link PublishQuery}, which the state machine tells apart before decoding one of these.
 *
 * @param commands the forwarded commands, in order; empty for a barrier
 * @param user the ACL user the forwarding node checked the commands against; null for a barrier
 */
record NodeQuery(List<byte[][]> commands, int protocol, String user) {
    static final NodeQuery BARRIER = new NodeQuery(List.of(), 0, null);
    private static final byte VERSION = 2;
    private static final byte KIND_BARRIER = 1;
    private static final byte KIND_FORWARD = 2;
    private static final byte KIND_FORWARD_SEVERAL = 3;

    /** One forwarded command. */
    NodeQuery(byte[][] argv, int protocol, String user) {
        this(Collections.singletonList(argv), protocol, user);
    }

    boolean barrier() {
        return commands.isEmpty();
    }

    /** The one forwarded command (of a query with one). */
    byte[][] argv() {
        if (commands.size() != 1) {
            throw new IllegalStateException("a query of " + commands.size() + " commands");
        }
        return commands.get(0);
    }

    byte[] encode() {
        if (commands.isEmpty()) {
            return new byte[] {VERSION, KIND_BARRIER};
        }
        boolean one = commands.size() == 1;
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        int size = 2 + 1 + 4 + name.length + (one ? 0 : 4);
        for (byte[][] argv : commands) {
            size += 4;
            for (byte[] a : argv) {
                size += 4 + a.length;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size)
                .put(VERSION)
                .put(one ? KIND_FORWARD : KIND_FORWARD_SEVERAL)
                .put((byte) protocol);
        b.putInt(name.length).put(name);
        if (!one) {
            b.putInt(commands.size());
        }
        for (byte[][] argv : commands) {
            b.putInt(argv.length);
            for (byte[] a : argv) {
                b.putInt(a.length).put(a);
            }
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
        if ((kind != KIND_FORWARD && kind != KIND_FORWARD_SEVERAL) || b.remaining() < 5) {
            throw new IllegalArgumentException("unknown node query kind " + kind);
        }
        int protocol = b.get();
        int userLength = b.getInt();
        if (userLength < 0 || userLength > b.remaining() - 4) {
            throw new IllegalArgumentException("forwarded command with a user of " + userLength + " bytes");
        }
        byte[] name = new byte[userLength];
        b.get(name);
        int count = kind == KIND_FORWARD ? 1 : b.getInt();
        if (count < 1 || count > b.remaining() / 4) {
            throw new IllegalArgumentException("forwarded query of " + count + " commands");
        }
        List<byte[][]> commands = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            commands.add(command(b));
        }
        return new NodeQuery(commands, protocol, new String(name, StandardCharsets.UTF_8));
    }

    private static byte[][] command(ByteBuffer b) {
        if (b.remaining() < 4) {
            throw new IllegalArgumentException("forwarded command cut short");
        }
        int argc = b.getInt();
        if (argc < 1 || argc > b.remaining() / 4) {
            throw new IllegalArgumentException("forwarded command with " + argc + " arguments");
        }
        byte[][] args = new byte[argc][];
        for (int i = 0; i < argc; i++) {
            int n = b.remaining() < 4 ? -1 : b.getInt();
            if (n < 0 || n > b.remaining()) {
                throw new IllegalArgumentException("forwarded argument " + i + " of " + n + " bytes");
            }
            args[i] = new byte[n];
            b.get(args[i]);
        }
        return args;
    }
}
