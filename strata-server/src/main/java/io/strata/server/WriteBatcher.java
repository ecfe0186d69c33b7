package io.strata.server;

import io.strata.WriteBatch;
import io.strata.server.replication.ReplicationException;
import io.strata.server.resp.RespWriter;
import io.strata.server.store.Keyspace;
import io.strata.server.store.Writes;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers a connection's consecutive blind writes (they read nothing, so their replies do not
 * depend on each other) into one engine WriteBatch. The writes come parsed, filtered and
 * encoded by their commands ({@link Request#storeBlindWrite}); any other command commits the
 * batch first, so replies stay in request order and every command sees the writes before it.
 *
 * <p>The batch takes the striped locks of all its keys around its commit, shared ({@link
 * Keyspace#lockBlind}), so it cannot land in the middle of another connection's
 * read-modify-write (an INCR), while other connections' blind writes of the same keys need not
 * wait for it.
 *
 * <p>Confined to its {@link Dispatcher}'s thread.
 */
final class WriteBatcher {
    /** Commit once a batch holds this many commands or bytes. */
    static final int MAX_COMMANDS = 1024;

    static final int MAX_BYTES = 4 * 1024 * 1024;
    /** A write larger than this is not gathered with others: one engine batch, or the engine's size error, its own. */
    static final long MAX_GATHERED_WRITE_BYTES = 64L * 1024 * 1024;

    private final StrataServer server;
    private final RespWriter out;
    /** The connection's keyspace events, published when the batch holding their writes commits. */
    private final KeyspaceEvents.Pending events;

    private final long maxGatheredWriteBytes;
    private WriteBatch batch = new WriteBatch();
    private final List<byte[]> keys = new ArrayList<>();
    private int commands;
    /** Each gathered command, its arguments and when it was parsed, for {@link CommandRecorder}. */
    private final CommandSpec[] specs = new CommandSpec[MAX_COMMANDS];

    private final byte[][][] argvs = new byte[MAX_COMMANDS][][];
    private final Client[] clients = new Client[MAX_COMMANDS];
    private final long[] startNanos = new long[MAX_COMMANDS];

    WriteBatcher(StrataServer server, RespWriter out, KeyspaceEvents.Pending events) {
        this(server, out, events, MAX_GATHERED_WRITE_BYTES);
    }

    /** For tests: with {@code maxGatheredWriteBytes} 0 nothing is gathered, every write is stored on its own. */
    WriteBatcher(StrataServer server, RespWriter out, KeyspaceEvents.Pending events, long maxGatheredWriteBytes) {
        this.server = server;
        this.events = events;
        this.out = out;
        this.maxGatheredWriteBytes = maxGatheredWriteBytes;
    }

    /** Whether nothing is gathered: a {@link #commit} would do nothing. */
    boolean isEmpty() {
        return commands == 0;
    }

    /**
     * Gathers one command's blind write; its OK goes out with the batch's commit. Returns false,
     * having committed what was gathered before, for a write too large to gather: the caller
     * stores it itself and replies.
     */
    boolean offer(CommandSpec spec, byte[][] argv, Client client, long commandStartNanos, Writes writes) {
        if (writes.bytes() > maxGatheredWriteBytes) {
            commit();
            return false;
        }
        if (commands > 0 && batch.encodedSize() + writes.bytes() + 32 > MAX_BYTES) {
            commit(); // make room
        }
        writes.addTo(batch);
        keys.addAll(writes.keys());
        specs[commands] = spec;
        argvs[commands] = argv;
        clients[commands] = client;
        startNanos[commands] = commandStartNanos;
        commands++;
        if (commands >= MAX_COMMANDS || batch.encodedSize() >= MAX_BYTES) {
            commit();
        }
        return true;
    }

    /** Commits the gathered writes and replies to each of their commands. */
    void commit() {
        if (commands == 0) {
            return;
        }
        int n = commands;
        String error = null;
        Keyspace ks = server.keyspace();
        try (Keyspace.Locked ignored = ks.lockBlind(keys)) {
            ks.write(batch, keys);
        } catch (ReplicationException | CommandError e) {
            error = e.getMessage(); // a whole reply, with its code (TRYAGAIN, TIMEOUT, BUSY from the lock wait, ...)
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
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            // Its time runs to the commit: when its reply could go out.
            CommandRecorder.ran(server, clients[i], specs[i], argvs[i], now - startNanos[i], error != null);
            specs[i] = null;
            argvs[i] = null;
            clients[i] = null;
        }
        if (error == null) {
            events.publish(server);
        } else {
            events.discard();
        }
        for (int i = 0; i < n; i++) {
            if (error == null) {
                out.ok();
            } else {
                server.stats().errorReply(error);
                out.error(error);
            }
        }
    }
}
