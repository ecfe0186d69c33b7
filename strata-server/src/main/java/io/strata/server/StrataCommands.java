package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;

import io.strata.StrataException;
import io.strata.StrataIterator;
import io.strata.server.store.Keyspace;
import io.strata.server.store.StoredValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Strata's own commands: STRATA.RANGE, STRATA.STATS, STRATA.COMPACT, STRATA.CHECKPOINT, STRATA.CLUSTER. */
final class StrataCommands {
    private StrataCommands() {}

    static void register(CommandTable t) {
        CommandTable.Group generic = t.group("generic");
        CommandTable.Group server = t.group("server");
        generic.add("strata.range", -3, "readonly", NONE, "0.1.0", StrataCommands::range)
                .readsUnnamedKeys()
                .doc("Returns the key-value pairs with start <= key <= end in key order, optionally only those whose "
                        + "JSON value's field compares with a value (WHERE field op value), at most LIMIT of them.");
        server.add("strata.stats", 1, "admin loading stale", NONE, "0.1.0", StrataCommands::stats)
                .doc("Returns the engine's statistics (the strata.stats property).");
        server.add("strata.compact", -1, "admin", NONE, "0.1.0", StrataCommands::compact)
                .doc("Compacts the whole store, or the keys in [start, end], and waits (expired values are "
                        + "reclaimed).");
        server.add("strata.checkpoint", 2, "admin", NONE, "0.1.0", StrataCommands::checkpoint)
                .doc("Writes a consistent, openable copy of the store into a new directory below the server's "
                        + "checkpoint directory.");
        server.add("strata.cluster", 2, "admin loading stale", NONE, "0.1.0", StrataCommands::cluster)
                .doc("STRATA.CLUSTER INFO: this node's view of its Raft group: role, leader, term, commit and applied "
                        + "index, peers, snapshots, health.");
    }

    static void cluster(Request r) {
        if (!r.is(1, "INFO")) {
            throw new CommandError(
                    "ERR unknown subcommand '" + Request.abbreviate(r.str(1), 128) + "'. Try STRATA.CLUSTER INFO.");
        }
        if (r.server.replication() == null) {
            throw new CommandError("ERR This instance has cluster support disabled");
        }
        r.out.verbatim(r.server.replication().clusterInfo());
    }

    /** An empty start or end means unbounded on that side (no key is empty). */
    private static byte[] bound(byte[] arg) {
        return arg.length == 0 ? null : arg;
    }

    // ---- STRATA.RANGE start end [LIMIT n] [WHERE field op value] ----

    static void range(Request r) {
        byte[] start = bound(r.argv[1]);
        byte[] end = bound(r.argv[2]);
        long limit = -1;
        JsonWhere where = null;
        for (int i = 3; i < r.argc(); ) {
            if (r.is(i, "LIMIT") && limit < 0 && i + 1 < r.argc()) {
                limit = r.longArg(i + 1);
                if (limit < 0) {
                    throw new CommandError("ERR LIMIT can't be negative");
                }
                i += 2;
            } else if (r.is(i, "WHERE") && where == null && i + 3 < r.argc()) {
                String field = r.str(i + 1);
                JsonWhere.Op op = JsonWhere.Op.parse(r.str(i + 2));
                if (op == null) {
                    throw new CommandError("ERR unknown WHERE operator '" + Request.abbreviate(r.str(i + 2), 32)
                            + "', expected one of = != < <= > >=");
                }
                where = new JsonWhere(field, op, r.str(i + 3));
                i += 4;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        long cap = r.server.config().keysLimit();
        List<StoredEntry> found = new ArrayList<>();
        if (limit != 0 && (start == null || end == null || Arrays.compareUnsigned(start, end) <= 0)) {
            long now = r.ks.now();
            try (StrataIterator it = r.ks.iterator(start)) {
                for (it.seekToFirst(); it.valid(); it.next()) {
                    byte[] key = it.key();
                    if (end != null && Arrays.compareUnsigned(key, end) > 0) {
                        break;
                    }
                    StoredValue v = Keyspace.decodeLive(it.value(), now);
                    if (v == null || (where != null && !where.matches(v.raw(), v.offset(), v.length()))) {
                        continue;
                    }
                    if (limit < 0 && found.size() >= cap) {
                        throw new CommandError("ERR STRATA.RANGE would return more than strata-keys-limit (" + cap
                                + ") entries; use LIMIT or a narrower range");
                    }
                    found.add(new StoredEntry(key, v));
                    if (found.size() == limit) {
                        break;
                    }
                }
            }
        }
        r.out.array(2L * found.size());
        for (StoredEntry e : found) {
            r.out.bulk(e.key());
            r.out.bulk(e.value().raw(), e.value().offset(), e.value().length());
        }
    }

    private record StoredEntry(byte[] key, StoredValue value) {}

    // ---- STRATA.STATS ----

    static void stats(Request r) {
        r.out.verbatim(r.ks.db().getProperty("strata.stats"));
    }

    // ---- STRATA.COMPACT [start end] ----

    static void compact(Request r) {
        if (r.argc() != 1 && r.argc() != 3) {
            throw CommandError.SYNTAX;
        }
        byte[] start = r.argc() == 3 ? bound(r.argv[1]) : null;
        byte[] end = r.argc() == 3 ? bound(r.argv[2]) : null;
        if (start != null && end != null && Arrays.compareUnsigned(start, end) > 0) {
            r.out.ok(); // an empty range: nothing to compact
            return;
        }
        try {
            r.ks.db().compactRange(start, end);
        } catch (StrataException e) {
            throw new CommandError("ERR compaction failed: " + e.getMessage());
        }
        r.out.ok();
    }

    // ---- STRATA.CHECKPOINT name (below the checkpoint directory) ----

    static void checkpoint(Request r) {
        Path target;
        try {
            target = CheckpointPaths.resolve(r.server.config().checkpointDir(), r.str(1));
        } catch (IllegalArgumentException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        try {
            r.ks.db().checkpoint(target);
        } catch (IllegalArgumentException e) {
            throw new CommandError("ERR " + e.getMessage());
        } catch (StrataException e) {
            throw new CommandError("ERR checkpoint failed: " + e.getMessage());
        }
        r.out.ok();
    }
}
