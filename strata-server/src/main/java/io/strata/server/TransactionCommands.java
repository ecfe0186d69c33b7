package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;

import io.strata.server.acl.KeyAccess;
import io.strata.server.replication.Replication;
import io.strata.server.store.Keyspace;
import io.strata.server.store.Watches;

/**
 * MULTI, DISCARD, WATCH and UNWATCH, with Redis's replies; EXEC is {@link Exec}. The queuing
 * itself is the dispatcher's.
 *
 * <p>On a cluster node WATCH runs only on the leader, between beginWrite and endWrite, and
 * records the leadership term: only writes this node's server runs touch watchers, and in one
 * term every write applied here is one of those ({@link Replication#leadershipTerm}). A
 * follower refuses WATCH with an error that names the limit.
 */
final class TransactionCommands {
    private TransactionCommands() {}

    /** The flags of MULTI, DISCARD, WATCH and UNWATCH in Redis 7.2. */
    private static final String FLAGS = "noscript loading stale fast allow_busy";

    static void register(CommandTable t) {
        CommandTable.Group tx = t.group("transactions");
        tx.add("multi", 1, FLAGS, NONE, "1.2.0", TransactionCommands::multi).doc("Starts a transaction.");
        tx.add("exec", 1, "noscript loading stale skip_slowlog", NONE, "1.2.0", Exec::run)
                .doc("Executes all commands in a transaction (as one engine batch: one replicated entry).");
        tx.add("discard", 1, FLAGS, NONE, "2.0.0", TransactionCommands::discard).doc("Discards a transaction.");
        tx.add("watch", -2, FLAGS, CommandTable.Keys.all(KeyAccess.NAME_ONLY), "2.2.0", TransactionCommands::watch)
                .doc("Monitors changes to keys to determine the execution of a transaction.");
        tx.add("unwatch", 1, FLAGS, NONE, "2.2.0", TransactionCommands::unwatch)
                .doc("Forgets about watched keys of a transaction.");
    }

    static void multi(Request r) {
        if (r.client.tx.open()) {
            throw new CommandError("ERR MULTI calls can not be nested");
        }
        r.client.tx.begin();
        r.out.ok();
    }

    static void discard(Request r) {
        if (!r.client.tx.open()) {
            throw new CommandError("ERR DISCARD without MULTI");
        }
        r.client.tx.end();
        r.client.tx.unwatch(r.server.keyspace().watches());
        r.out.ok();
    }

    static void unwatch(Request r) {
        r.client.tx.unwatch(r.server.keyspace().watches());
        r.out.ok();
    }

    static void watch(Request r) {
        if (r.client.tx.open()) {
            throw new CommandError("ERR WATCH inside MULTI is not allowed");
        }
        Replication replication = r.server.replication();
        if (replication == null) {
            watchHere(r, 0);
            return;
        }
        if (!replication.beginWrite()) {
            throw new CommandError("ERR Strata cluster: WATCH runs only on the leader and this node is a follower; "
                    + "connect to the leader for transactions with WATCH");
        }
        try {
            watchHere(r, replication.leadershipTerm());
        } finally {
            replication.endWrite();
        }
    }

    /** Registers the keys as they are now, under their stripe locks, so no write of them is half seen. */
    private static void watchHere(Request r, long term) {
        Transaction tx = r.client.tx;
        Keyspace ks = r.server.keyspace();
        Watches watches = ks.watches();
        if (tx.watcher == null) {
            tx.watcher = watches.newWatcher();
        }
        if (watches.idle(tx.watcher)) {
            tx.watchTerm = term; // (watches kept from an earlier term keep theirs: EXEC then aborts)
        }
        try (Keyspace.Locked ignored = ks.lock(r.argv, 1, 1)) {
            for (int i = 1; i < r.argc(); i++) {
                if (!watches.watch(tx.watcher, r.argv[i], ks.get(r.argv[i]))) {
                    throw new CommandError(
                            "ERR Strata: the keys all connections watch would exceed " + Watches.MAX_BYTES + " bytes");
                }
            }
        }
        r.out.ok();
    }
}
