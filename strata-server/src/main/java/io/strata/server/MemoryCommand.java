package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;

import io.strata.server.acl.KeyAccess;
import io.strata.server.acl.KeySpec;
import io.strata.server.store.StoredValue;
import java.util.Locale;

/**
 * MEMORY USAGE key [SAMPLES count] | STATS | DOCTOR | MALLOC-STATS | PURGE | HELP. Strata's values
 * are strings kept in the engine, not objects on a heap, so USAGE estimates what Redis would use
 * for the same key and value: the key's and the value's bytes plus Redis's per-key overhead
 * ({@link #KEY_OVERHEAD}), rounded up to 8 bytes as an allocator would (Redis 7 answers 80 for a
 * one-byte key with a 20-byte value; so does this); a missing key is nil. SAMPLES is checked and
 * has no effect (a string has no nested values). STATS answers from the JVM's memory and a count
 * of the keys; DOCTOR finds nothing; MALLOC-STATS and PURGE have no allocator of their own to
 * report on or purge.
 */
final class MemoryCommand {
    private MemoryCommand() {}

    /** Redis's dict entry, key sds header, value object header and allocator rounding, about. */
    static final int KEY_OVERHEAD = 56;

    private static final CommandTable.Keys KEY = CommandTable.Keys.of(KeySpec.at(2, KeyAccess.NAME_ONLY));

    static void register(CommandTable t) {
        t.group("server")
                .add("memory", -2, "", NONE, "4.0.0", MemoryCommand::run)
                .categories("")
                .sub("usage", -3, "readonly", KEY, "")
                .sub("stats", 2, "", NONE, "")
                .sub("doctor", 2, "", NONE, "")
                .sub("malloc-stats", 2, "", NONE, "")
                .sub("purge", 2, "", NONE, "")
                .sub("help", 2, "loading stale", NONE, "")
                .doc("A container for memory diagnostics commands.");
    }

    static void run(Request r) {
        String sub = r.str(1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "usage" -> usage(r);
            case "stats" -> {
                ConnectionCommands.arity(r, 2, "memory|stats");
                stats(r);
            }
            case "doctor" -> {
                ConnectionCommands.arity(r, 2, "memory|doctor");
                r.out.verbatim("Hi Sam, I can't find any memory issue in your instance. "
                        + "I can only account for what occurs on this base.");
            }
            case "malloc-stats" -> {
                ConnectionCommands.arity(r, 2, "memory|malloc-stats");
                r.out.verbatim("Stats not supported for the current allocator");
            }
            case "purge" -> {
                ConnectionCommands.arity(r, 2, "memory|purge");
                r.out.ok();
            }
            case "help" ->
                ConnectionCommands.help(
                        r.out,
                        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "DOCTOR",
                        "    Return memory problems reports.",
                        "MALLOC-STATS",
                        "    Return internal statistics report from the memory allocator.",
                        "PURGE",
                        "    Attempt to purge dirty pages for reclamation by the allocator.",
                        "STATS",
                        "    Return information about the memory usage of the server.",
                        "USAGE <key> [SAMPLES <count>]",
                        "    Return memory in bytes used by <key> and its value. Nested values are",
                        "    sampled up to <count> times (default: 5, 0 means sample all).",
                        "HELP",
                        "    Prints this help.");
            default -> throw CommandError.unknownSubcommand(r.str(1), "memory");
        }
    }

    private static void usage(Request r) {
        for (int i = 3; i < r.argc(); i++) {
            if (r.is(i, "SAMPLES") && i + 1 < r.argc()) {
                if (r.longArg(++i) < 0) {
                    throw CommandError.SYNTAX;
                }
            } else {
                throw CommandError.SYNTAX;
            }
        }
        StoredValue v = r.ks.get(r.argv[2]);
        if (v == null) {
            r.out.nullBulk();
            return;
        }
        r.out.integer(estimate(r.argv[2].length, v.length()));
    }

    /** What Redis would take for this key and value: both, its overhead, rounded up to 8 bytes. */
    static long estimate(int keyBytes, long valueBytes) {
        long n = KEY_OVERHEAD + keyBytes + valueBytes;
        return (n + 7) & ~7L;
    }

    private static void stats(Request r) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long keys = ServerCommands.countKeys(r.ks)[0];
        r.out.map(8);
        r.out.bulk("peak.allocated");
        r.out.integer(Math.max(used, rt.totalMemory()));
        r.out.bulk("total.allocated");
        r.out.integer(used);
        r.out.bulk("startup.allocated");
        r.out.integer(0);
        r.out.bulk("lua.caches");
        r.out.integer(r.server.scripts().cache().bodyBytes());
        r.out.bulk("keys.count");
        r.out.integer(keys);
        r.out.bulk("keys.bytes-per-key");
        r.out.integer(keys == 0 ? 0 : used / keys);
        r.out.bulk("dataset.bytes");
        r.out.integer(used);
        r.out.bulk("allocator.allocated");
        r.out.integer(used);
    }
}
