package io.strata.server;

import io.strata.StrataIterator;
import io.strata.WriteBatch;
import io.strata.server.resp.RespWriter;
import io.strata.server.store.Keyspace;
import io.strata.server.store.StoredValue;
import io.strata.server.store.ValueCodec;
import io.strata.server.util.Glob;
import io.strata.server.util.ScanCursors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** String and generic key commands. */
final class StringCommands {
    private StringCommands() {}

    static void register(CommandTable t) {
        t.add(
                "get",
                2,
                "readonly fast",
                1,
                1,
                1,
                "string",
                "1.0.0",
                "Returns the string value of a key.",
                StringCommands::get);
        t.add(
                "set",
                -3,
                "write denyoom",
                1,
                1,
                1,
                "string",
                "1.0.0",
                "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
                StringCommands::set);
        t.add(
                "setnx",
                3,
                "write denyoom fast",
                1,
                1,
                1,
                "string",
                "1.0.0",
                "Set the string value of a key only when the key doesn't exist.",
                StringCommands::setnx);
        t.add(
                "setex",
                4,
                "write denyoom",
                1,
                1,
                1,
                "string",
                "2.0.0",
                "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.",
                r -> setex(r, "setex"));
        t.add(
                "psetex",
                4,
                "write denyoom",
                1,
                1,
                1,
                "string",
                "2.6.0",
                "Sets both string value and expiration time in milliseconds of a key. The key is created if it "
                        + "doesn't exist.",
                r -> setex(r, "psetex"));
        t.add(
                "getset",
                3,
                "write denyoom fast",
                1,
                1,
                1,
                "string",
                "1.0.0",
                "Returns the previous string value of a key after setting it to a new value.",
                StringCommands::getset);
        t.add(
                "getdel",
                2,
                "write fast",
                1,
                1,
                1,
                "string",
                "6.2.0",
                "Returns the string value of a key after deleting the key.",
                StringCommands::getdel);
        t.add(
                "getex",
                -2,
                "write fast",
                1,
                1,
                1,
                "string",
                "6.2.0",
                "Returns the string value of a key after setting its expiration time.",
                StringCommands::getex);
        t.add(
                "mget",
                -2,
                "readonly fast",
                1,
                -1,
                1,
                "string",
                "1.0.0",
                "Atomically returns the string values of one or more keys.",
                StringCommands::mget);
        t.add(
                "mset",
                -3,
                "write denyoom",
                1,
                -1,
                2,
                "string",
                "1.0.1",
                "Atomically creates or modifies the string values of one or more keys.",
                StringCommands::mset);
        t.add(
                "msetnx",
                -3,
                "write denyoom",
                1,
                -1,
                2,
                "string",
                "1.0.1",
                "Atomically modifies the string values of one or more keys only when all keys don't exist.",
                StringCommands::msetnx);
        t.add(
                "incr",
                2,
                "write denyoom fast",
                1,
                1,
                1,
                "string",
                "1.0.0",
                "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
                r -> incrBy(r, 1));
        t.add(
                "decr",
                2,
                "write denyoom fast",
                1,
                1,
                1,
                "string",
                "1.0.0",
                "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
                r -> incrBy(r, -1));
        t.add(
                "incrby",
                3,
                "write denyoom fast",
                1,
                1,
                1,
                "string",
                "1.0.0",
                "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
                r -> incrBy(r, r.longArg(2)));
        t.add(
                "decrby",
                3,
                "write denyoom fast",
                1,
                1,
                1,
                "string",
                "1.0.0",
                "Decrements a number from the integer value of a key. Uses 0 as initial value if the key "
                        + "doesn't exist.",
                StringCommands::decrBy);
        t.add(
                "incrbyfloat",
                3,
                "write denyoom fast",
                1,
                1,
                1,
                "string",
                "2.6.0",
                "Increment the floating point value of a key by a number. Uses 0 as initial value if the key "
                        + "doesn't exist.",
                StringCommands::incrByFloat);
        t.add(
                "append",
                3,
                "write denyoom fast",
                1,
                1,
                1,
                "string",
                "2.0.0",
                "Appends a string to the value of a key. Creates the key if it doesn't exist.",
                StringCommands::append);
        t.add(
                "strlen",
                2,
                "readonly fast",
                1,
                1,
                1,
                "string",
                "2.2.0",
                "Returns the length of a string value.",
                StringCommands::strlen);
        t.add(
                "getrange",
                4,
                "readonly",
                1,
                1,
                1,
                "string",
                "2.4.0",
                "Returns a substring of the string stored at a key.",
                StringCommands::getrange);
        t.add(
                "substr",
                4,
                "readonly",
                1,
                1,
                1,
                "string",
                "1.0.0",
                "Returns a substring from a string value.",
                StringCommands::getrange);
        t.add(
                "setrange",
                4,
                "write denyoom",
                1,
                1,
                1,
                "string",
                "2.2.0",
                "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.",
                StringCommands::setrange);

        t.add("del", -2, "write", 1, -1, 1, "generic", "1.0.0", "Deletes one or more keys.", StringCommands::del);
        t.add(
                "unlink",
                -2,
                "write fast",
                1,
                -1,
                1,
                "generic",
                "4.0.0",
                "Asynchronously deletes one or more keys.",
                StringCommands::del);
        t.add(
                "exists",
                -2,
                "readonly fast",
                1,
                -1,
                1,
                "generic",
                "1.0.0",
                "Determines whether one or more keys exist.",
                StringCommands::exists);
        t.add(
                "type",
                2,
                "readonly fast",
                1,
                1,
                1,
                "generic",
                "1.0.0",
                "Determines the type of value stored at a key.",
                StringCommands::type);
        t.add(
                "expire",
                -3,
                "write fast",
                1,
                1,
                1,
                "generic",
                "1.0.0",
                "Sets the expiration time of a key in seconds.",
                r -> expire(r, "expire", 1000, false));
        t.add(
                "pexpire",
                -3,
                "write fast",
                1,
                1,
                1,
                "generic",
                "2.6.0",
                "Sets the expiration time of a key in milliseconds.",
                r -> expire(r, "pexpire", 1, false));
        t.add(
                "expireat",
                -3,
                "write fast",
                1,
                1,
                1,
                "generic",
                "1.2.0",
                "Sets the expiration time of a key to a Unix timestamp.",
                r -> expire(r, "expireat", 1000, true));
        t.add(
                "pexpireat",
                -3,
                "write fast",
                1,
                1,
                1,
                "generic",
                "2.6.0",
                "Sets the expiration time of a key to a Unix milliseconds timestamp.",
                r -> expire(r, "pexpireat", 1, true));
        t.add(
                "ttl",
                2,
                "readonly fast",
                1,
                1,
                1,
                "generic",
                "1.0.0",
                "Returns the expiration time in seconds of a key.",
                r -> ttl(r, false, false));
        t.add(
                "pttl",
                2,
                "readonly fast",
                1,
                1,
                1,
                "generic",
                "2.6.0",
                "Returns the expiration time in milliseconds of a key.",
                r -> ttl(r, true, false));
        t.add(
                "expiretime",
                2,
                "readonly fast",
                1,
                1,
                1,
                "generic",
                "7.0.0",
                "Returns the expiration time of a key as a Unix timestamp.",
                r -> ttl(r, false, true));
        t.add(
                "pexpiretime",
                2,
                "readonly fast",
                1,
                1,
                1,
                "generic",
                "7.0.0",
                "Returns the expiration time of a key as a Unix milliseconds timestamp.",
                r -> ttl(r, true, true));
        t.add(
                "persist",
                2,
                "write fast",
                1,
                1,
                1,
                "generic",
                "2.2.0",
                "Removes the expiration time of a key.",
                StringCommands::persist);
        t.add(
                "scan",
                -2,
                "readonly",
                0,
                0,
                0,
                "generic",
                "2.8.0",
                "Iterates over the key names in the database (in key order; the cursor names the next key).",
                StringCommands::scan);
        t.add(
                "keys",
                2,
                "readonly",
                0,
                0,
                0,
                "generic",
                "1.0.0",
                "Returns all key names that match a pattern (at most keys-limit of them).",
                StringCommands::keys);
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

    /**
     * The absolute expiry (epoch ms) of an EX/PX/EXAT/PXAT argument, with Redis's checks: the
     * time must be positive and must not overflow.
     */
    static long absoluteExpiry(long value, String unit, long now, String command) {
        CommandError invalid = new CommandError("ERR invalid expire time in '" + command + "' command");
        if (value <= 0) {
            throw invalid;
        }
        boolean seconds = unit.equals("EX") || unit.equals("EXAT");
        boolean relative = unit.equals("EX") || unit.equals("PX");
        long ms;
        try {
            ms = seconds ? Math.multiplyExact(value, 1000L) : value;
            if (relative) {
                ms = Math.addExact(ms, now);
            }
        } catch (ArithmeticException e) {
            throw invalid;
        }
        return ms;
    }

    static long setexExpiry(byte[][] argv, String name, long now) {
        return absoluteExpiry(Numbers.parseLong(argv[2]), name.equals("setex") ? "EX" : "PX", now, name);
    }

    private static void hitOrMiss(Request r, StoredValue v) {
        (v == null ? r.server.stats().keyspaceMisses : r.server.stats().keyspaceHits).add(1);
    }

    private static void replyValue(RespWriter out, StoredValue v) {
        if (v == null) {
            out.nullBulk();
        } else {
            out.bulk(v.raw(), v.offset(), v.length());
        }
    }

    /** Stores {@code payload} (or deletes the key when {@code expireAt} has already passed). */
    private static void store(Keyspace ks, byte[] key, byte[] payload, long expireAt) {
        if (expireAt != 0 && expireAt <= ks.now()) {
            ks.delete(key);
        } else {
            ks.put(key, payload, expireAt);
        }
    }

    // ---- strings ----

    static void get(Request r) {
        StoredValue v = r.ks.get(r.argv[1]);
        hitOrMiss(r, v);
        replyValue(r.out, v);
    }

    static void set(Request r) {
        byte[] key = r.argv[1];
        SetOptions o = SetOptions.parse(r.argv, r.ks.now());
        checkWritableKey(key);
        checkValueSize(r.argv[2].length);
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue old = (o.nx || o.xx || o.get || o.keepTtl) ? r.ks.get(key) : null;
            boolean write = !(o.nx && old != null) && !(o.xx && old == null);
            if (write) {
                long expireAt = o.keepTtl && old != null ? old.expireAt() : o.expireAt;
                store(r.ks, key, r.argv[2], expireAt);
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
                r.out.integer(1);
            }
        }
    }

    static void setex(Request r, String name) {
        long expireAt = setexExpiry(r.argv, name, r.ks.now());
        byte[] key = r.argv[1];
        checkWritableKey(key);
        checkValueSize(r.argv[3].length);
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            store(r.ks, key, r.argv[3], expireAt);
        }
        r.out.ok();
    }

    static void getset(Request r) {
        byte[] key = r.argv[1];
        checkWritableKey(key);
        checkValueSize(r.argv[2].length);
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue old = r.ks.get(key);
            r.ks.put(key, r.argv[2], 0);
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
            }
            hitOrMiss(r, old);
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
                    expireAt = absoluteExpiry(r.longArg(++j), opt, now, "getex");
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
            hitOrMiss(r, v);
            if (v != null) {
                if (expireAt != -1) {
                    if (expireAt <= r.ks.now()) {
                        r.ks.delete(key);
                    } else {
                        r.ks.putExpiry(key, v, expireAt);
                    }
                } else if (persist && v.hasExpiry()) {
                    r.ks.putExpiry(key, v, 0);
                }
            }
            replyValue(r.out, v);
        }
    }

    static void mget(Request r) {
        r.out.array(r.argc() - 1);
        for (int i = 1; i < r.argc(); i++) {
            StoredValue v = r.ks.get(r.argv[i]);
            hitOrMiss(r, v);
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

    static void mset(Request r) {
        checkPairs(r, "mset");
        WriteBatch b = new WriteBatch();
        for (int i = 1; i < r.argc(); i += 2) {
            b.put(r.argv[i], ValueCodec.encode(r.ks.filter(r.argv[i], r.argv[i + 1]), 0));
        }
        try (Keyspace.Locked ignored = r.ks.lock(r.argv, 1, 2)) {
            r.ks.write(b);
        }
        r.out.ok();
    }

    static void msetnx(Request r) {
        checkPairs(r, "msetnx");
        try (Keyspace.Locked ignored = r.ks.lock(r.argv, 1, 2)) {
            for (int i = 1; i < r.argc(); i += 2) {
                if (r.ks.get(r.argv[i]) != null) {
                    r.out.integer(0);
                    return;
                }
            }
            WriteBatch b = new WriteBatch();
            for (int i = 1; i < r.argc(); i += 2) {
                b.put(r.argv[i], ValueCodec.encode(r.ks.filter(r.argv[i], r.argv[i + 1]), 0));
            }
            r.ks.write(b);
        }
        r.out.integer(1);
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
            r.out.integer(next);
        }
    }

    static void incrByFloat(Request r) {
        byte[] key = r.argv[1];
        double by = Numbers.parseDouble(r.argv[2]);
        checkWritableKey(key);
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue v = r.ks.get(key);
            double current = v == null ? 0 : Numbers.parseDouble(v.payload());
            double next = current + by;
            if (Double.isNaN(next) || Double.isInfinite(next)) {
                throw new CommandError("ERR increment would produce NaN or Infinity");
            }
            byte[] text = Numbers.formatDouble(next).getBytes(StandardCharsets.US_ASCII);
            r.ks.put(key, text, v == null ? 0 : v.expireAt());
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
            long length = Math.max(current, offset + add.length);
            checkValueSize(offset + add.length);
            byte[] next = new byte[(int) length];
            if (v != null) {
                System.arraycopy(v.raw(), v.offset(), next, 0, current);
            }
            System.arraycopy(add, 0, next, (int) offset, add.length);
            r.ks.put(key, next, v == null ? 0 : v.expireAt());
            r.out.integer(length);
        }
    }

    // ---- keys ----

    static void del(Request r) {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 1; i < r.argc(); i++) {
            if (Keyspace.storable(r.argv[i])) {
                keys.add(r.argv[i]);
            }
        }
        long deleted = 0;
        try (Keyspace.Locked ignored = r.ks.lock(keys)) {
            WriteBatch b = new WriteBatch();
            long now = r.ks.now();
            java.util.Set<byte[]> seen = new java.util.TreeSet<>(Arrays::compareUnsigned);
            for (byte[] key : keys) {
                if (!seen.add(key)) {
                    continue;
                }
                byte[] raw = r.ks.db().get(key);
                if (raw != null) {
                    b.delete(key); // an expired value is removed too, but not counted
                    if (Keyspace.decodeLive(raw, now) != null) {
                        deleted++;
                    }
                }
            }
            if (b.count() > 0) {
                r.ks.write(b);
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
    static void expire(Request r, String name, long unitMs, boolean absolute) {
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
        CommandError invalid = new CommandError("ERR invalid expire time in '" + name + "' command");
        long now = r.ks.now();
        long expireAt;
        try {
            expireAt = Math.multiplyExact(when, unitMs);
            if (!absolute) {
                expireAt = Math.addExact(expireAt, now);
            }
        } catch (ArithmeticException e) {
            throw invalid;
        }
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
            if (expireAt <= now) {
                r.ks.delete(key);
            } else {
                r.ks.putExpiry(key, v, expireAt);
            }
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
            r.ks.putExpiry(key, v, 0);
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
