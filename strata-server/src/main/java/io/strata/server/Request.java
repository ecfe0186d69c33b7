package io.strata.server;

import io.strata.server.resp.RespWriter;
import io.strata.server.script.ScriptError;
import io.strata.server.store.Keyspace;
import io.strata.server.store.Writes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One command being executed: its arguments, the connection, where the reply goes. Confined to
 * the thread running it.
 */
final class Request {
    final byte[][] argv;
    final Client client;
    final RespWriter out;
    final StrataServer server;
    final Keyspace ks;

    private final CommandSpec spec;
    /** Null inside a transaction: its commands store their writes in its view, never in a batch. */
    private final WriteBatcher batcher;
    /** When the command was parsed (System.nanoTime), for its metrics. */
    private final long startNanos;
    /**
     * The command runs on the connection's I/O thread ({@link Dispatcher#executeInline}): its
     * handler reads from memory only, and lets {@link io.strata.NotCachedException} through.
     */
    final boolean cachedOnly;

    private boolean gathered;
    /** Whether the command replied an error itself ({@link #failed(ScriptError)}). */
    private boolean failed;

    Request(
            byte[][] argv,
            CommandSpec spec,
            Client client,
            RespWriter out,
            StrataServer server,
            WriteBatcher batcher,
            long startNanos,
            Keyspace ks,
            boolean cachedOnly) {
        this.argv = argv;
        this.spec = spec;
        this.client = client;
        this.out = out;
        this.server = server;
        this.ks = ks;
        this.batcher = batcher;
        this.startNanos = startNanos;
        this.cachedOnly = cachedOnly;
    }

    int argc() {
        return argv.length;
    }

    String str(int i) {
        return new String(argv[i], StandardCharsets.UTF_8);
    }

    /** The argument in upper case, for option names. */
    String upper(int i) {
        return str(i).toUpperCase(Locale.ROOT);
    }

    boolean is(int i, String option) {
        return argv[i].length == option.length() && str(i).equalsIgnoreCase(option);
    }

    /** The command being run (a container's own spec for its subcommands). */
    CommandSpec spec() {
        return spec;
    }

    long longArg(int i) {
        return Numbers.parseLong(argv[i]);
    }

    /**
     * Stores a blind write (of a {@link CommandSpec#batchable} command) and replies OK: the
     * connection's batcher gathers it, and the reply comes with the batch's commit; a write too
     * large to gather, or one in a transaction, is stored at once, after the writes gathered
     * before it.
     */
    void storeBlindWrite(Writes writes) {
        assert spec.batchable() : spec.name() + " is not batchable, so the batch before it is already committed";
        if (server.config().notifyKeyspaceEvents().publishes(KeyspaceEvents.NEW)) {
            storeCreating(writes);
            return;
        }
        if (batcher != null && batcher.offer(spec, argv, client, startNanos, writes)) {
            gathered = true;
            return;
        }
        try (Keyspace.Locked ignored = ks.lockBlind(writes.keys())) {
            ks.write(writes);
        }
        out.ok();
    }

    /**
     * Stores a blind write as a write that reads does, when {@code new} events are published (as
     * in Redis, they cost a read): at once, under its keys' exclusive locks, recording the event
     * for each key it creates.
     */
    private void storeCreating(Writes writes) {
        commitGathered();
        List<byte[]> created = new ArrayList<>();
        try (Keyspace.Locked ignored = ks.lock(writes.keys())) {
            for (byte[] key : writes.keys()) {
                if (ks.get(key) == null) {
                    created.add(key);
                }
            }
            ks.write(writes);
        }
        created(created);
        out.ok();
    }

    /**
     * Records Redis's {@code new} event (class n) for each distinct key of {@code keys}: the keys
     * the command's write created. Before the command's own events, as Redis publishes them.
     */
    void created(List<byte[]> keys) {
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            if (keys.subList(0, i).stream().noneMatch(k -> Arrays.equals(k, key))) {
                created(key);
            }
        }
    }

    /** Records the {@code new} event of a key the command's write created ({@link #created(List)}). */
    void created(byte[] key) {
        event(KeyspaceEvents.NEW, "new", key);
    }

    /**
     * Commits the blind writes gathered before this command. A batchable command calls it first
     * in a form that is not a blind write (SET NX ...): that form reads the store and replies at
     * once, so the writes before it must be stored, and replied to, first.
     */
    void commitGathered() {
        if (batcher != null) {
            batcher.commit();
        }
    }

    /**
     * The command replied an error itself (a script's), which the error statistics count unless
     * they have already (a called command's, {@link ScriptError#counted}): the command failed.
     */
    void failed(ScriptError error) {
        failed = true;
        if (!error.counted()) {
            server.stats().errorReply(error.text());
        }
    }

    /** Whether the command replied an error itself ({@link #failed(ScriptError)}). */
    boolean failed() {
        return failed;
    }

    /** Whether the command's write is waiting in the batch (its reply and metrics come at the commit). */
    boolean gathered() {
        return gathered;
    }

    /**
     * A keyspace event of this command ({@link KeyspaceEvents}): recorded after the write it names
     * is stored or gathered, published once the write is stored.
     */
    void event(int eventClass, String name, byte[] key) {
        client.events.add(server, eventClass, name, key);
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
