package io.strata.server;

import static io.strata.server.CommandTable.Keys.all;
import static io.strata.server.CommandTable.Keys.one;
import static io.strata.server.acl.KeyAccess.NAME_ONLY;
import static io.strata.server.acl.KeyAccess.READ;
import static io.strata.server.acl.KeyAccess.READ_WRITE;
import static io.strata.server.acl.KeyAccess.WRITE;

import io.strata.server.acl.KeySpec;
import io.strata.server.resp.RespWriter;
import io.strata.server.store.Keyspace;
import io.strata.server.store.StoredValue;
import io.strata.server.store.ValueCodec;
import io.strata.server.store.Writes;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/** The commands of Redis's string group: GET, SET and its variants, MGET, MSET, INCR, APPEND, .... */
final class StringCommands {
    private StringCommands() {}

    static void register(CommandTable t) {
        CommandTable.Group string = t.group("string");
        string.add("get", 2, "readonly fast", one(READ), "1.0.0", StringCommands::get)
                .doc("Returns the string value of a key.");
        string.add("set", -3, "write denyoom", one(SetOptions::keyAccess), "1.0.0", StringCommands::set)
                .batchable()
                .doc("Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.");
        string.add("setnx", 3, "write denyoom fast", one(WRITE), "1.0.0", StringCommands::setnx)
                .doc("Set the string value of a key only when the key doesn't exist.");
        string.add("setex", 4, "write denyoom", one(WRITE), "2.0.0", r -> setex(r, Expiry.EX, "setex"))
                .batchable()
                .doc("Sets the string value and expiration time of a key. Creates the key if it doesn't exist.");
        string.add("psetex", 4, "write denyoom", one(WRITE), "2.6.0", r -> setex(r, Expiry.PX, "psetex"))
                .batchable()
                .doc("Sets both string value and expiration time in milliseconds of a key. The key is created if it "
                        + "doesn't exist.");
        string.add("getset", 3, "write denyoom fast", one(READ_WRITE), "1.0.0", StringCommands::getset)
                .doc("Returns the previous string value of a key after setting it to a new value.");
        string.add("getdel", 2, "write fast", one(READ_WRITE), "6.2.0", StringCommands::getdel)
                .doc("Returns the string value of a key after deleting the key.");
        string.add("getex", -2, "write fast", one(READ_WRITE), "6.2.0", StringCommands::getex)
                .doc("Returns the string value of a key after setting its expiration time.");
        string.add("mget", -2, "readonly fast", all(READ), "1.0.0", StringCommands::mget)
                .doc("Atomically returns the string values of one or more keys.");
        string.add("mset", -3, "write denyoom", CommandTable.Keys.pairs(WRITE), "1.0.1", StringCommands::mset)
                .batchable()
                .doc("Atomically creates or modifies the string values of one or more keys.");
        string.add("msetnx", -3, "write denyoom", CommandTable.Keys.pairs(WRITE), "1.0.1", StringCommands::msetnx)
                .doc("Atomically modifies the string values of one or more keys only when all keys don't exist.");
        string.add("incr", 2, "write denyoom fast", one(READ_WRITE), "1.0.0", r -> incrBy(r, 1))
                .doc("Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.");
        string.add("decr", 2, "write denyoom fast", one(READ_WRITE), "1.0.0", r -> incrBy(r, -1))
                .doc("Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.");
        string.add("incrby", 3, "write denyoom fast", one(READ_WRITE), "1.0.0", r -> incrBy(r, r.longArg(2)))
                .doc("Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't "
                        + "exist.");
        string.add("decrby", 3, "write denyoom fast", one(READ_WRITE), "1.0.0", StringCommands::decrBy)
                .doc("Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't "
                        + "exist.");
        string.add("incrbyfloat", 3, "write denyoom fast", one(READ_WRITE), "2.6.0", StringCommands::incrByFloat)
                .doc("Increment the floating point value of a key by a number. Uses 0 as initial value if the key "
                        + "doesn't exist.");
        string.add("append", 3, "write denyoom fast", one(WRITE), "2.0.0", StringCommands::append)
                .doc("Appends a string to the value of a key. Creates the key if it doesn't exist.");
        string.add("strlen", 2, "readonly fast", one(NAME_ONLY), "2.2.0", StringCommands::strlen)
                .doc("Returns the length of a string value.");
        string.add("getrange", 4, "readonly", one(READ), "2.4.0", StringCommands::getrange)
                .doc("Returns a substring of the string stored at a key.");
        string.add("substr", 4, "readonly", one(READ), "1.0.0", StringCommands::getrange)
                .doc("Returns a substring from a string value.");
        string.add("setrange", 4, "write denyoom", one(WRITE), "2.2.0", StringCommands::setrange)
                .doc("Overwrites a part of a string value with another by an offset. Creates the key if it doesn't "
                        + "exist.");
        string.add("lcs", -3, "readonly", CommandTable.Keys.of(new KeySpec(1, 2, 1, READ)), "7.0.0", Lcs::run)
                .doc("Finds the longest common substring.");
    }

    // ---- helpers ----

    /** Fails with Redis's error for keys the engine cannot hold (empty, over 64 KiB). */
    static void checkWritableKey(byte[] key) {
        if (key.length == 0) {
            throw new CommandError("ERR Strata does not support empty keys");
        }
        if (!Keyspace.storable(key)) {
            throw new CommandError(
                    "ERR key is " + key.length + " bytes; Strata's limit is " + io.strata.Limits.MAX_KEY_SIZE);
        }
    }

    static void checkValueSize(long length) {
        if (length > ValueCodec.MAX_PAYLOAD) {
            throw CommandError.TOO_BIG;
        }
    }

    /** A read of {@code key} that found {@code v}: keyspace_hits or keyspace_misses, and a miss's keymiss event. */
    private static void hitOrMiss(Request r, byte[] key, StoredValue v) {
        (v == null ? r.server.stats().keyspaceMisses : r.server.stats().keyspaceHits).add(1);
        if (v == null) {
            r.event(KeyspaceEvents.KEY_MISS, "keymiss", key);
        }
    }

    private static void replyValue(RespWriter out, StoredValue v) {
        if (v == null) {
            out.nullBulk();
        } else {
            out.bulk(v.raw(), v.offset(), v.length());
        }
    }

    // ---- strings ----

    static void get(Request r) {
        StoredValue v = r.cachedOnly ? r.ks.getCached(r.argv[1]) : r.ks.get(r.argv[1]);
        hitOrMiss(r, r.argv[1], v);
        replyValue(r.out, v);
    }

    /** SET key value [NX|XX] [GET] [EX|PX|EXAT|PXAT time|KEEPTTL]: without NX, XX, GET and KEEPTTL a blind write. */
    static void set(Request r) {
        byte[] key = r.argv[1];
        byte[] value = r.argv[2];
        SetOptions o = SetOptions.parse(r.argv, r.ks.now());
        checkWritableKey(key);
        checkValueSize(value.length);
        if (o.blind()) {
            r.storeBlindWrite(r.ks.writes().put(key, value, o.expireAt));
            setEvents(r, key, o.expireAt);
            return;
        }
        r.commitGathered();
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue old = r.ks.get(key);
            boolean write = !(o.nx && old != null) && !(o.xx && old == null);
            if (write) {
                long expireAt = o.keepTtl && old != null ? old.expireAt() : o.expireAt;
                r.ks.write(r.ks.writes().put(key, value, expireAt));
                if (old == null) {
                    r.created(key);
                }
                setEvents(r, key, o.keepTtl ? 0 : expireAt);
            }
            if (o.get) {
                replyValue(r.out, old);
            } else if (write) {
                r.out.ok();
            } else {
                r.out.nullBulk();
            }
        }
    }

    static void setnx(Request r) {
        byte[] key = r.argv[1];
        checkWritableKey(key);
        checkValueSize(r.argv[2].length);
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            if (r.ks.get(key) != null) {
                r.out.integer(0);
            } else {
                r.ks.put(key, r.argv[2], 0);
                r.created(key);
                r.event(KeyspaceEvents.STRING, "set", key);
                r.out.integer(1);
            }
        }
    }

    /** SETEX and PSETEX key time value: a blind write. */
    static void setex(Request r, Expiry unit, String name) {
        long expireAt = unit.positiveAt(r.longArg(2), r.ks.now(), name);
        byte[] key = r.argv[1];
        checkWritableKey(key);
        checkValueSize(r.argv[3].length);
        r.storeBlindWrite(r.ks.writes().put(key, r.argv[3], expireAt));
        setEvents(r, key, expireAt);
    }

    /** SET's events, as Redis's: {@code set}, then {@code expire} if it gave the key an expiry. */
    private static void setEvents(Request r, byte[] key, long expireAt) {
        r.event(KeyspaceEvents.STRING, "set", key);
        if (expireAt > 0) {
            r.event(KeyspaceEvents.GENERIC, "expire", key);
        }
    }

    static void getset(Request r) {
        byte[] key = r.argv[1];
        checkWritableKey(key);
        checkValueSize(r.argv[2].length);
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue old = r.ks.get(key);
            r.ks.put(key, r.argv[2], 0);
            if (old == null) {
                r.created(key);
            }
            r.event(KeyspaceEvents.STRING, "set", key);
            replyValue(r.out, old);
        }
    }

    static void getdel(Request r) {
        byte[] key = r.argv[1];
        if (!Keyspace.storable(key)) {
            r.out.nullBulk();
            return;
        }
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue old = r.ks.get(key);
            if (old != null) {
                r.ks.delete(key);
                r.event(KeyspaceEvents.GENERIC, "del", key);
            }
            hitOrMiss(r, key, old);
            replyValue(r.out, old);
        }
    }

    static void getex(Request r) {
        byte[] key = r.argv[1];
        long now = r.ks.now();
        long expireAt = -1; // -1: leave the expiry as it is
        boolean persist = false;
        for (int j = 2; j < r.argc(); j++) {
            String opt = r.upper(j);
            boolean hasNext = j + 1 < r.argc();
            switch (opt) {
                case "EX", "PX", "EXAT", "PXAT" -> {
                    if (expireAt != -1 || persist || !hasNext) {
                        throw CommandError.SYNTAX;
                    }
                    expireAt = Expiry.valueOf(opt).positiveAt(r.longArg(++j), now, "getex");
                }
                case "PERSIST" -> {
                    if (expireAt != -1 || persist) {
                        throw CommandError.SYNTAX;
                    }
                    persist = true;
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        if (!Keyspace.storable(key)) {
            r.out.nullBulk();
            return;
        }
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue v = r.ks.get(key);
            hitOrMiss(r, key, v);
            if (v != null) {
                if (expireAt != -1) {
                    r.ks.expire(key, v, expireAt);
                    r.event(KeyspaceEvents.GENERIC, "expire", key);
                } else if (persist && v.hasExpiry()) {
                    r.ks.persist(key, v);
                    r.event(KeyspaceEvents.GENERIC, "persist", key);
                }
            }
            replyValue(r.out, v);
        }
    }

    static void mget(Request r) {
        r.out.array(r.argc() - 1);
        for (int i = 1; i < r.argc(); i++) {
            StoredValue v = r.ks.get(r.argv[i]);
            hitOrMiss(r, r.argv[i], v);
            replyValue(r.out, v);
        }
    }

    private static void checkPairs(Request r, String name) {
        if (r.argc() % 2 != 1) {
            throw CommandError.arity(name);
        }
        for (int i = 1; i < r.argc(); i += 2) {
            checkWritableKey(r.argv[i]);
            checkValueSize(r.argv[i + 1].length);
        }
    }

    /** MSET key value [key value ...]: a blind write. */
    static void mset(Request r) {
        checkPairs(r, "mset");
        r.storeBlindWrite(pairs(r));
        pairEvents(r);
    }

    private static void pairEvents(Request r) {
        for (int i = 1; i < r.argc(); i += 2) {
            r.event(KeyspaceEvents.STRING, "set", r.argv[i]);
        }
    }

    /** MSETNX key value [key value ...]: all the writes of MSET, or none if any key exists. */
    static void msetnx(Request r) {
        checkPairs(r, "msetnx");
        try (Keyspace.Locked ignored = r.ks.lock(r.argv, 1, 2)) {
            for (int i = 1; i < r.argc(); i += 2) {
                if (r.ks.get(r.argv[i]) != null) {
                    r.out.integer(0);
                    return;
                }
            }
            Writes writes = pairs(r);
            r.ks.write(writes);
            r.created(writes.keys()); // none existed
        }
        pairEvents(r);
        r.out.integer(1);
    }

    /** The writes of MSET's and MSETNX's key-value pairs (checked by {@link #checkPairs}). */
    private static Writes pairs(Request r) {
        Writes writes = r.ks.writes();
        for (int i = 1; i < r.argc(); i += 2) {
            writes.put(r.argv[i], r.argv[i + 1], 0);
        }
        return writes;
    }

    static void decrBy(Request r) {
        long by = r.longArg(2);
        if (by == Long.MIN_VALUE) {
            throw new CommandError("ERR decrement would overflow");
        }
        incrBy(r, -by);
    }

    static void incrBy(Request r, long by) {
        byte[] key = r.argv[1];
        checkWritableKey(key);
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue v = r.ks.get(key);
            long current = 0;
            long expireAt = 0;
            if (v != null) {
                current = Numbers.parseLong(v.raw(), v.offset(), v.length());
                expireAt = v.expireAt();
            }
            long next;
            try {
                next = Math.addExact(current, by);
            } catch (ArithmeticException e) {
                throw new CommandError("ERR increment or decrement would overflow");
            }
            r.ks.put(key, Long.toString(next).getBytes(StandardCharsets.US_ASCII), expireAt);
            if (v == null) {
                r.created(key);
            }
            r.event(KeyspaceEvents.STRING, "incrby", key);
            r.out.integer(next);
        }
    }

    static void incrByFloat(Request r) {
        byte[] key = r.argv[1];
        BigDecimal by = LongDouble.parse(r.argv[2]);
        checkWritableKey(key);
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue v = r.ks.get(key);
            BigDecimal current = v == null ? BigDecimal.ZERO : LongDouble.parse(v.payload());
            BigDecimal next = by == null || current == null ? null : LongDouble.add(current, by);
            if (next == null) {
                throw new CommandError("ERR increment would produce NaN or Infinity");
            }
            byte[] text = LongDouble.format(next).getBytes(StandardCharsets.US_ASCII);
            r.ks.put(key, text, v == null ? 0 : v.expireAt());
            if (v == null) {
                r.created(key);
            }
            r.event(KeyspaceEvents.STRING, "incrbyfloat", key);
            r.out.bulk(text);
        }
    }

    static void append(Request r) {
        byte[] key = r.argv[1];
        checkWritableKey(key);
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue v = r.ks.get(key);
            byte[] add = r.argv[2];
            long length = (v == null ? 0L : v.length()) + add.length;
            checkValueSize(length);
            byte[] next = new byte[(int) length];
            if (v != null) {
                System.arraycopy(v.raw(), v.offset(), next, 0, v.length());
            }
            System.arraycopy(add, 0, next, next.length - add.length, add.length);
            r.ks.put(key, next, v == null ? 0 : v.expireAt());
            if (v == null) {
                r.created(key);
            }
            r.event(KeyspaceEvents.STRING, "append", key);
            r.out.integer(length);
        }
    }

    static void strlen(Request r) {
        StoredValue v = r.ks.get(r.argv[1]);
        r.out.integer(v == null ? 0 : v.length());
    }

    static void getrange(Request r) {
        long start = r.longArg(2);
        long end = r.longArg(3);
        StoredValue v = r.ks.get(r.argv[1]);
        long len = v == null ? 0 : v.length();
        if (start < 0 && end < 0 && start > end) {
            r.out.bulk(new byte[0]);
            return;
        }
        if (start < 0) {
            start = len + start;
        }
        if (end < 0) {
            end = len + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= len) {
            end = len - 1;
        }
        if (v == null || start > end || len == 0) {
            r.out.bulk(new byte[0]);
            return;
        }
        r.out.bulk(v.raw(), v.offset() + (int) start, (int) (end - start + 1));
    }

    static void setrange(Request r) {
        byte[] key = r.argv[1];
        long offset = r.longArg(2);
        byte[] add = r.argv[3];
        if (offset < 0) {
            throw new CommandError("ERR offset is out of range");
        }
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue v = Keyspace.storable(key) ? r.ks.get(key) : null;
            int current = v == null ? 0 : v.length();
            if (add.length == 0) {
                r.out.integer(current);
                return;
            }
            checkWritableKey(key);
            checkValueSize(offset > ValueCodec.MAX_PAYLOAD ? offset : offset + add.length); // the sum can overflow
            long length = Math.max(current, offset + add.length);
            byte[] next = new byte[(int) length];
            if (v != null) {
                System.arraycopy(v.raw(), v.offset(), next, 0, current);
            }
            System.arraycopy(add, 0, next, (int) offset, add.length);
            r.ks.put(key, next, v == null ? 0 : v.expireAt());
            if (v == null) {
                r.created(key);
            }
            r.event(KeyspaceEvents.STRING, "setrange", key);
            r.out.integer(length);
        }
    }
}
