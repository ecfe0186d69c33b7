package io.strata.server;

import static io.strata.server.CommandTable.Keys.one;
import static io.strata.server.acl.KeyAccess.READ;
import static io.strata.server.acl.KeyAccess.WRITE;

import io.strata.server.dump.DumpFormatException;
import io.strata.server.dump.DumpPayload;
import io.strata.server.store.Keyspace;
import io.strata.server.store.StoredValue;
import io.strata.server.store.ValueCodec;

/**
 * DUMP and RESTORE in Redis's serialization format ({@link DumpPayload}), for strings: a value
 * dumped by Redis restores here and one dumped here restores in Redis 7.2. RESTORE's IDLETIME
 * and FREQ are checked as Redis checks them and then ignored: Strata keeps no access times.
 */
final class DumpCommands {
    private DumpCommands() {}

    static void register(CommandTable t) {
        CommandTable.Group generic = t.group("generic");
        generic.add("dump", 2, "readonly", one(READ), "2.6.0", DumpCommands::dump)
                .doc("Returns a serialized representation of the value stored at a key.");
        generic.add("restore", -4, "write denyoom", one(WRITE), "2.6.0", DumpCommands::restore)
                .categories("keyspace dangerous")
                .doc("Creates a key from the serialized representation of a value.");
    }

    static void dump(Request r) {
        StoredValue v = r.ks.get(r.argv[1]);
        if (v == null) {
            r.out.nullBulk();
        } else {
            r.out.bulk(DumpPayload.encode(v.raw(), v.offset(), v.length()));
        }
    }

    /** RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency], checked in Redis's order. */
    static void restore(Request r) {
        boolean replace = false;
        boolean absTtl = false;
        boolean idle = false;
        boolean freq = false;
        for (int j = 4; j < r.argc(); j++) {
            boolean hasNext = j + 1 < r.argc();
            if (r.is(j, "REPLACE")) {
                replace = true;
            } else if (r.is(j, "ABSTTL")) {
                absTtl = true;
            } else if (r.is(j, "IDLETIME") && hasNext && !freq) {
                if (r.longArg(++j) < 0) {
                    throw new CommandError("ERR Invalid IDLETIME value, must be >= 0");
                }
                idle = true;
            } else if (r.is(j, "FREQ") && hasNext && !idle) {
                long f = r.longArg(++j);
                if (f < 0 || f > 255) {
                    throw new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
                freq = true;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] key = r.argv[1];
        StringCommands.checkWritableKey(key);
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue old = r.ks.get(key);
            if (!replace && old != null) {
                throw new CommandError("BUSYKEY Target key name already exists.");
            }
            long ttl = r.longArg(2);
            if (ttl < 0) {
                throw new CommandError("ERR Invalid TTL value, must be >= 0");
            }
            byte[] value;
            try {
                value = DumpPayload.decode(r.argv[3], ValueCodec.MAX_PAYLOAD);
            } catch (DumpFormatException e) {
                throw e.tooLarge() ? CommandError.TOO_BIG : new CommandError(e.getMessage());
            }
            long expireAt = ttl == 0 || absTtl ? ttl : saturatedAdd(r.ks.now(), ttl);
            if (old != null || !ValueCodec.expired(expireAt, r.ks.now())) {
                r.ks.write(r.ks.writes().put(key, value, expireAt)); // an expiry already past deletes the key
                r.created(key); // (as RENAME)
                r.event(KeyspaceEvents.GENERIC, "restore", key);
            }
            r.out.ok();
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
