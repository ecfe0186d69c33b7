package io.strata.server;

import io.strata.server.replication.Replication;
import io.strata.server.resp.ReplyBuffer;
import io.strata.server.store.Keyspace;
import io.strata.server.store.Watches;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * EXEC: runs a connection's queued commands as one step. They run with every stripe lock held,
 * so no other command writes meanwhile, over a view of the keyspace whose reads see the
 * transaction's earlier writes; what they wrote is then stored as one engine batch, which is
 * one replicated entry on a cluster node. Their replies wait for that: if storing fails, EXEC's
 * reply is that error and nothing was written (a cluster TIMEOUT says it may have been), so no
 * reply ever claims a write that did not happen. A command's own run-time error (WRONGTYPE, not
 * an integer) is its reply and the others still apply, as in Redis.
 *
 * <p>EXEC aborts with EXECABORT if a command was refused while queuing, and answers a null
 * array if a watched key changed since its WATCH. Either way, and always, it ends the
 * transaction and forgets the watched keys.
 *
 * <p>On a cluster node EXEC runs on the leader, as a write command does. A follower forwards the
 * whole transaction (MULTI, the queued commands, EXEC), which the leader runs as one entry; but
 * not one with watched keys (they are this node's, watched while it led): that EXEC answers a
 * null array, as when a watched key changed. A follower refuses a transaction holding a command
 * that neither reads nor writes keys (CLIENT, CONFIG, ...: it would run on the leader's side).
 */
final class Exec {
    private Exec() {}

    static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

    private static final byte[][] MULTI = {"MULTI".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[][] EXEC = {"EXEC".getBytes(StandardCharsets.US_ASCII)};

    static void run(Request r) {
        Transaction tx = r.client.tx;
        if (!tx.open()) {
            throw new CommandError("ERR EXEC without MULTI");
        }
        boolean refused = tx.refused();
        List<byte[][]> queued = tx.queued();
        tx.end();
        try {
            if (refused) {
                throw new CommandError(EXECABORT);
            }
            Replication replication = r.server.replication();
            if (replication == null) {
                runHere(r, queued, null);
            } else if (replication.beginWrite()) {
                try {
                    runHere(r, queued, replication);
                } finally {
                    replication.endWrite();
                }
            } else {
                forward(r, queued, replication);
            }
        } finally {
            tx.unwatch(r.server.keyspace().watches());
        }
    }

    /** Runs the transaction on this node: standalone ({@code replication} null) or on the leader. */
    private static void runHere(Request r, List<byte[][]> queued, Replication replication) {
        Keyspace ks = r.server.keyspace();
        try (Keyspace.Locked ignored = ks.lockAll()) {
            if (watchedKeyChanged(r.client.tx, ks, replication)) {
                r.out.nullArray();
                return;
            }
            Keyspace view = ks.transaction();
            ReplyBuffer replies = new ReplyBuffer(r.client.protocol);
            for (byte[][] argv : queued) {
                runQueued(r, argv, view, replies);
            }
            if (!ks.commit(view) && replication != null) {
                // Nothing to propose, so nothing confirmed this node still leads: confirm it, as a read does.
                replication.awaitRead();
            }
            r.out.array(queued.size());
            r.out.raw(replies.take());
            r.out.protocol(r.client.protocol); // a HELLO in the transaction switches what comes after it
        }
    }

    /**
     * Whether a key the connection watches has changed since its WATCH (written, deleted, or its
     * expiry passed); on a cluster node also when the watches were taken in another leadership
     * term, since writes applied from the log of another term touch no watcher here. Called
     * with every stripe lock held.
     */
    private static boolean watchedKeyChanged(Transaction tx, Keyspace ks, Replication replication) {
        Watches watches = ks.watches();
        if (tx.watcher == null || watches.idle(tx.watcher)) {
            return false;
        }
        return watches.changed(tx.watcher, ks.now())
                || (replication != null && tx.watchTerm != replication.leadershipTerm());
    }

    /** Runs one queued command over the transaction's view, its reply (or error) into {@code replies}. */
    private static void runQueued(Request exec, byte[][] argv, Keyspace view, ReplyBuffer replies) {
        StrataServer server = exec.server;
        // Known: an unknown command was refused while queuing, and the table does not change.
        CommandSpec spec = server.commands().of(argv);
        long t0 = System.nanoTime();
        Monitor.feed(server, exec.client, spec, argv);
        Request r = new Request(argv, spec, exec.client, replies.out(), server, null, t0, view, false);
        String failure = Dispatcher.runHandler(spec, r);
        if (failure != null) {
            server.stats().errorReply(failure);
            replies.out().error(failure);
        }
        CommandRecorder.ran(server, exec.client, spec, argv, System.nanoTime() - t0, failure != null || r.failed());
    }

    /** A follower's EXEC: the whole transaction runs on the leader, which replies. */
    private static void forward(Request r, List<byte[][]> queued, Replication replication) {
        Transaction tx = r.client.tx;
        if (tx.watcher != null && !r.server.keyspace().watches().idle(tx.watcher)) {
            r.out.nullArray(); // watched while this node led: it cannot tell what changed since
            return;
        }
        List<byte[][]> commands = new ArrayList<>(queued.size() + 2);
        commands.add(MULTI);
        for (byte[][] argv : queued) {
            CommandSpec spec = r.server.commands().of(argv);
            if (!spec.write() && !spec.readonly()) {
                throw new CommandError("ERR Strata cluster: on a follower a transaction may hold only commands that "
                        + "read or write keys, and " + spec.name().toUpperCase(Locale.ROOT) + " does neither; run "
                        + "the transaction on the leader");
            }
            commands.add(argv);
        }
        commands.add(EXEC);
        r.out.raw(replication.forward(commands, r.client.protocol, r.client.user.name()));
    }
}
