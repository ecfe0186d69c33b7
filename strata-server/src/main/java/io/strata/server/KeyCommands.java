package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;
import static io.strata.server.CommandTable.Keys.all;
import static io.strata.server.CommandTable.Keys.one;
import static io.strata.server.acl.KeyAccess.NAME_ONLY;
import static io.strata.server.acl.KeyAccess.READ;
import static io.strata.server.acl.KeyAccess.WRITE;

import io.strata.StrataIterator;
import io.strata.server.store.Keyspace;
import io.strata.server.store.StoredValue;
import io.strata.server.store.Writes;
import io.strata.server.util.Glob;
import io.strata.server.util.ScanCursors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The commands of Redis's generic group: DEL, EXISTS, TYPE, the EXPIRE and TTL families, PERSIST, SCAN, KEYS. */
final class KeyCommands {
    private KeyCommands() {}

    static void register(CommandTable t) {
        CommandTable.Group generic = t.group("generic");
        generic.add("del", -2, "write", all(WRITE), "1.0.0", KeyCommands::del).doc("Deletes one or more keys.");
        generic.add("unlink", -2, "write fast", all(WRITE), "4.0.0", KeyCommands::del)
                .doc("Asynchronously deletes one or more keys.");
        generic.add("exists", -2, "readonly fast", all(NAME_ONLY), "1.0.0", KeyCommands::exists)
                .doc("Determines whether one or more keys exist.");
        generic.add("touch", -2, "readonly fast", all(NAME_ONLY), "3.2.1", KeyCommands::exists)
                .doc("Returns the number of existing keys out of those specified (Strata keeps no access time).");
        generic.add("randomkey", 1, "readonly", NONE, "1.0.0", RandomKey::run)
                .doc("Returns a random key name from the database (drawn over the key space, see RANDOMKEY's notes).");
        generic.add("type", 2, "readonly fast", one(NAME_ONLY), "1.0.0", KeyCommands::type)
                .doc("Determines the type of value stored at a key.");
        generic.add("expire", -3, "write fast", one(WRITE), "1.0.0", r -> expire(r, Expiry.EX, "expire"))
                .doc("Sets the expiration time of a key in seconds.");
        generic.add("pexpire", -3, "write fast", one(WRITE), "2.6.0", r -> expire(r, Expiry.PX, "pexpire"))
                .doc("Sets the expiration time of a key in milliseconds.");
        generic.add("expireat", -3, "write fast", one(WRITE), "1.2.0", r -> expire(r, Expiry.EXAT, "expireat"))
                .doc("Sets the expiration time of a key to a Unix timestamp.");
        generic.add("pexpireat", -3, "write fast", one(WRITE), "2.6.0", r -> expire(r, Expiry.PXAT, "pexpireat"))
                .doc("Sets the expiration time of a key to a Unix milliseconds timestamp.");
        generic.add("ttl", 2, "readonly fast", one(READ), "1.0.0", r -> ttl(r, false, false))
                .doc("Returns the expiration time in seconds of a key.");
        generic.add("pttl", 2, "readonly fast", one(READ), "2.6.0", r -> ttl(r, true, false))
                .doc("Returns the expiration time in milliseconds of a key.");
        generic.add("expiretime", 2, "readonly fast", one(READ), "7.0.0", r -> ttl(r, false, true))
                .doc("Returns the expiration time of a key as a Unix timestamp.");
        generic.add("pexpiretime", 2, "readonly fast", one(READ), "7.0.0", r -> ttl(r, true, true))
                .doc("Returns the expiration time of a key as a Unix milliseconds timestamp.");
        generic.add("persist", 2, "write fast", one(WRITE), "2.2.0", KeyCommands::persist)
                .doc("Removes the expiration time of a key.");
        generic.add("scan", -2, "readonly", NONE, "2.8.0", KeyCommands::scan)
                .doc("Iterates over the key names in the database (in key order; the cursor names the next key).");
        generic.add("keys", 2, "readonly", NONE, "1.0.0", KeyCommands::keys)
                .categories("keyspace dangerous")
                .doc("Returns all key names that match a pattern (at most keys-limit of them).");
    }

    /** DEL and UNLINK key [key ...]: the number of live keys deleted (each counted once). */
    static void del(Request r) {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 1; i < r.argc(); i++) {
            if (Keyspace.storable(r.argv[i])) {
                keys.add(r.argv[i]);
            }
        }
        long deleted = 0;
        List<byte[]> found = new ArrayList<>();
        List<Boolean> expired = new ArrayList<>();
        try (Keyspace.Locked ignored = r.ks.lock(keys)) {
            Writes writes = r.ks.writes();
            long now = r.ks.now();
            java.util.Set<byte[]> seen = new java.util.TreeSet<>(Arrays::compareUnsigned);
            for (byte[] key : keys) {
                if (!seen.add(key)) {
                    continue;
                }
                byte[] raw = r.ks.db().get(key);
                if (raw != null) {
                    // An expired value is removed too, as its expiry (Redis's active expiry would
                    // have), but not counted.
                    writes.delete(key);
                    boolean live = Keyspace.decodeLive(raw, now) != null;
                    deleted += live ? 1 : 0;
                    found.add(key);
                    expired.add(!live);
                }
            }
            if (writes.count() > 0) {
                r.ks.write(writes);
            }
        }
        for (int i = 0; i < found.size(); i++) {
            if (expired.get(i)) {
                r.server.stats().expiredKeys.add(1);
                r.event(KeyspaceEvents.EXPIRED, "expired", found.get(i));
            } else {
                r.event(KeyspaceEvents.GENERIC, "del", found.get(i));
            }
        }
        r.out.integer(deleted);
    }

    static void exists(Request r) {
        long n = 0;
        for (int i = 1; i < r.argc(); i++) {
            if (r.ks.get(r.argv[i]) != null) {
                n++;
            }
        }
        r.out.integer(n);
    }

    static void type(Request r) {
        r.out.simple(r.ks.get(r.argv[1]) == null ? "none" : "string");
    }

    /**
     * EXPIRE key time [NX|XX|GT|LT] and its relatives. A time already in the past deletes the
     * key, as in Redis.
     */
    static void expire(Request r, Expiry unit, String name) {
        byte[] key = r.argv[1];
        long when = r.longArg(2);
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int j = 3; j < r.argc(); j++) {
            switch (r.upper(j)) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                case "GT" -> gt = true;
                case "LT" -> lt = true;
                default -> throw new CommandError("ERR Unsupported option " + r.str(j));
            }
        }
        if (nx && (xx || gt || lt)) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) {
            throw new CommandError("ERR GT and LT options at the same time are not compatible");
        }
        long expireAt = unit.at(when, r.ks.now(), name);
        if (!Keyspace.storable(key)) {
            r.out.integer(0);
            return;
        }
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue v = r.ks.get(key);
            if (v == null) {
                r.out.integer(0);
                return;
            }
            long current = v.hasExpiry() ? v.expireAt() : Long.MAX_VALUE; // no expiry = infinite
            if ((nx && v.hasExpiry())
                    || (xx && !v.hasExpiry())
                    || (gt && expireAt <= current)
                    || (lt && expireAt >= current)) {
                r.out.integer(0);
                return;
            }
            r.ks.expire(key, v, expireAt);
            // An expiry already past deletes the key: Redis names that a del.
            r.event(KeyspaceEvents.GENERIC, expireAt <= r.ks.now() ? "del" : "expire", key);
            r.out.integer(1);
        }
    }

    static void ttl(Request r, boolean millis, boolean absolute) {
        StoredValue v = r.ks.get(r.argv[1]);
        if (v == null) {
            r.out.integer(-2);
        } else if (!v.hasExpiry()) {
            r.out.integer(-1);
        } else if (absolute) {
            r.out.integer(millis ? v.expireAt() : v.expireAt() / 1000);
        } else {
            long left = Math.max(0, v.expireAt() - r.ks.now());
            r.out.integer(millis ? left : (left + 500) / 1000);
        }
    }

    static void persist(Request r) {
        byte[] key = r.argv[1];
        if (!Keyspace.storable(key)) {
            r.out.integer(0);
            return;
        }
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue v = r.ks.get(key);
            if (v == null || !v.hasExpiry()) {
                r.out.integer(0);
                return;
            }
            r.ks.persist(key, v);
            r.event(KeyspaceEvents.GENERIC, "persist", key);
            r.out.integer(1);
        }
    }

    /**
     * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: looks at up to COUNT keys from the
     * cursor's key on, in key order, and returns those that match and the cursor of the next.
     */
    static void scan(Request r) {
        byte[] pattern = null;
        long count = 10;
        boolean typeMatches = true;
        for (int j = 2; j < r.argc(); j++) {
            boolean hasNext = j + 1 < r.argc();
            if (r.is(j, "MATCH") && hasNext) {
                pattern = r.argv[++j];
            } else if (r.is(j, "COUNT") && hasNext) {
                count = r.longArg(++j);
                if (count < 1) {
                    throw CommandError.SYNTAX;
                }
            } else if (r.is(j, "TYPE") && hasNext) {
                typeMatches = r.str(++j).equalsIgnoreCase("string");
            } else {
                throw CommandError.SYNTAX;
            }
        }
        // After the options: decoding uses up a table cursor, which a syntax error must not.
        ScanCursors cursors = r.server.scanCursors();
        byte[] from = cursors.decode(r.str(1));
        if (from == null) {
            throw new CommandError("ERR invalid cursor");
        }
        byte[] prefix = pattern == null ? new byte[0] : Glob.literalPrefix(pattern);
        if (Arrays.compareUnsigned(prefix, from) > 0) {
            from = prefix;
        }
        List<byte[]> found = new ArrayList<>();
        String next = ScanCursors.START;
        long now = r.ks.now();
        try (StrataIterator it = r.ks.iterator(from.length == 0 ? null : from)) {
            it.seekToFirst();
            long examined = 0;
            while (it.valid()) {
                byte[] key = it.key();
                if (!startsWith(key, prefix)) {
                    break; // past every key the pattern can match
                }
                if (examined == count) {
                    next = cursors.encode(key);
                    break;
                }
                examined++;
                if (typeMatches
                        && (pattern == null || Glob.matches(pattern, key))
                        && Keyspace.decodeLive(it.value(), now) != null) {
                    found.add(key);
                }
                it.next();
            }
        }
        r.out.array(2);
        r.out.bulk(next);
        r.out.array(found.size());
        for (byte[] k : found) {
            r.out.bulk(k);
        }
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** KEYS pattern: every matching key, or an error past {@code keys-limit} of them. */
    static void keys(Request r) {
        byte[] pattern = r.argv[1];
        byte[] prefix = Glob.literalPrefix(pattern);
        long limit = r.server.config().keysLimit();
        List<byte[]> found = new ArrayList<>();
        long now = r.ks.now();
        try (StrataIterator it = r.ks.iterator(prefix.length == 0 ? null : prefix)) {
            for (it.seekToFirst(); it.valid() && startsWith(it.key(), prefix); it.next()) {
                byte[] key = it.key();
                if (Glob.matches(pattern, key) && Keyspace.decodeLive(it.value(), now) != null) {
                    if (found.size() >= limit) {
                        throw new CommandError(
                                "ERR KEYS would return more than " + limit + " keys (keys-limit); use SCAN");
                    }
                    found.add(key);
                }
            }
        }
        r.out.array(found.size());
        for (byte[] k : found) {
            r.out.bulk(k);
        }
    }
}
