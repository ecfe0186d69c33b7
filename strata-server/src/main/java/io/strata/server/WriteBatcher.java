package io.strata.server;

import io.strata.WriteBatch;
import io.strata.server.filter.WriteRejectedException;
import io.strata.server.resp.RespWriter;
import io.strata.server.store.Keyspace;
import io.strata.server.store.ValueCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers a connection's consecutive blind writes (they read nothing, so their replies do not
 * depend on each other) into one engine WriteBatch. Any other command commits the batch
 * first, so replies stay in request order and every command sees the writes before it.
 *
 * <p>The batch takes the striped locks of all its keys around its commit, so it cannot land
 * in the middle of another connection's read-modify-write (an INCR).
 */
final class WriteBatcher {
    /** Commit once a batch holds this many commands or bytes. */
    static final int MAX_COMMANDS = 1024;

    static final int MAX_BYTES = 4 * 1024 * 1024;
    /** An MSET larger than this is not gathered with others. */
    static final long MAX_SINGLE_MSET_BYTES = 64L * 1024 * 1024;

    private final StrataServer server;
    private final RespWriter out;
    private WriteBatch batch = new WriteBatch();
    private final List<byte[]> keys = new ArrayList<>();
    private int commands;
    /** With metrics: each gathered command's name and when it was offered. */
    private final String[] names;

    private final long[] offeredAt;

    WriteBatcher(StrataServer server, RespWriter out) {
        this.server = server;
        this.out = out;
        boolean timed = server.metrics().enabled();
        this.names = timed ? new String[MAX_COMMANDS] : null;
        this.offeredAt = timed ? new long[MAX_COMMANDS] : null;
    }

    /** Adds the command to the batch if it is a blind write with valid arguments. */
    boolean offer(String name, byte[][] argv) {
        Keyspace ks = server.keyspace();
        long t0 = names != null ? System.nanoTime() : 0;
        switch (name) {
            case "set" -> {
                SetOptions o;
                try {
                    o = SetOptions.parse(argv, ks.now());
                } catch (CommandError e) {
                    return false;
                }
                if (o.nx || o.xx || o.get || o.keepTtl || !valid(argv[1], argv[2])) {
                    return false;
                }
                byte[] value = filtered(ks, argv[1], argv[2]);
                if (value == null) {
                    return false;
                }
                makeRoom(argv[1].length + value.length);
                add(argv[1], value, o.expireAt, ks.now());
            }
            case "setex", "psetex" -> {
                long expireAt;
                try {
                    expireAt = StringCommands.setexExpiry(argv, name, ks.now());
                } catch (CommandError e) {
                    return false;
                }
                if (!valid(argv[1], argv[3])) {
                    return false;
                }
                byte[] value = filtered(ks, argv[1], argv[3]);
                if (value == null) {
                    return false;
                }
                makeRoom(argv[1].length + value.length);
                add(argv[1], value, expireAt, ks.now());
            }
            case "mset" -> {
                if (argv.length % 2 != 1) {
                    return false;
                }
                long bytes = 0;
                byte[][] values = new byte[argv.length / 2][];
                for (int i = 1; i < argv.length; i += 2) {
                    if (!valid(argv[i], argv[i + 1])) {
                        return false;
                    }
                    values[i / 2] = filtered(ks, argv[i], argv[i + 1]);
                    if (values[i / 2] == null) {
                        return false;
                    }
                    bytes += argv[i].length + values[i / 2].length + 16;
                }
                if (bytes > MAX_SINGLE_MSET_BYTES) {
                    return false; // run on its own: one batch, or the engine's size error
                }
                makeRoom(bytes);
                for (int i = 1; i < argv.length; i += 2) {
                    addEntry(argv[i], values[i / 2], 0, ks.now());
                }
                commands++;
            }
            default -> {
                return false;
            }
        }
        if (names != null) {
            names[commands - 1] = name;
            offeredAt[commands - 1] = t0;
        }
        if (commands >= MAX_COMMANDS || batch.encodedSize() >= MAX_BYTES) {
            commit();
        }
        return true;
    }

    /** Commits what is gathered if {@code bytes} more would take the batch past its size bound. */
    private void makeRoom(long bytes) {
        if (commands > 0 && batch.encodedSize() + bytes + 32 > MAX_BYTES) {
            commit();
        }
    }

    /**
     * The value the write filters let this write store, or null if they refuse it: the command
     * then runs on its own, outside the batch, and replies with the rejection in its turn.
     */
    private static byte[] filtered(Keyspace ks, byte[] key, byte[] value) {
        if (ks.filters().isEmpty()) {
            return value;
        }
        try {
            return ks.filter(key, value);
        } catch (WriteRejectedException e) {
            return null;
        }
    }

    private static boolean valid(byte[] key, byte[] value) {
        return Keyspace.storable(key) && value.length <= ValueCodec.MAX_PAYLOAD;
    }

    private void add(byte[] key, byte[] value, long expireAt, long now) {
        addEntry(key, value, expireAt, now);
        commands++;
    }

    private void addEntry(byte[] key, byte[] value, long expireAt, long now) {
        if (expireAt != 0 && expireAt <= now) {
            batch.delete(key); // already expired: as Redis, the key is simply gone
        } else {
            batch.put(key, ValueCodec.encode(value, expireAt));
        }
        keys.add(key);
    }

    /** Commits the gathered writes and replies to each of their commands. */
    void commit() {
        if (commands == 0) {
            return;
        }
        int n = commands;
        String error = null;
        try (Keyspace.Locked ignored = server.keyspace().lock(keys)) {
            server.keyspace().write(batch);
        } catch (RuntimeException e) {
            error = "ERR " + e.getMessage();
        } finally {
            if (batch.encodedSize() > MAX_BYTES) {
                batch = new WriteBatch(); // do not keep a large value's buffer per connection
            } else {
                batch.clear();
            }
            keys.clear();
            commands = 0;
        }
        server.stats().writeBatches.add(1);
        server.stats().batchedWrites.add(n);
        if (names != null) {
            long now = System.nanoTime();
            ServerMetrics metrics = server.metrics();
            for (int i = 0; i < n; i++) {
                metrics.command(names[i], now - offeredAt[i], error != null);
                names[i] = null;
            }
        }
        for (int i = 0; i < n; i++) {
            if (error == null) {
                out.ok();
            } else {
                server.stats().errorReplies.add(1);
                out.error(error);
            }
        }
    }
}
