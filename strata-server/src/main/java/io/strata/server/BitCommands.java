package io.strata.server;

import static io.strata.server.CommandTable.Keys.one;
import static io.strata.server.acl.KeyAccess.READ;
import static io.strata.server.acl.KeyAccess.READ_WRITE;
import static io.strata.server.acl.KeyAccess.WRITE;

import io.strata.server.acl.KeySpec;
import io.strata.server.store.Keyspace;
import io.strata.server.store.StoredValue;
import java.util.Arrays;

/** The commands of Redis's bitmap group: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP (BITFIELD: {@link Bitfield}). */
final class BitCommands {
    private BitCommands() {}

    static void register(CommandTable t) {
        CommandTable.Group bitmap = t.group("bitmap");
        bitmap.add("setbit", 4, "write denyoom", one(READ_WRITE), "2.2.0", BitCommands::setbit)
                .doc("Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.");
        bitmap.add("getbit", 3, "readonly fast", one(READ), "2.2.0", BitCommands::getbit)
                .doc("Returns a bit value by offset.");
        bitmap.add("bitcount", -2, "readonly", one(READ), "2.6.0", BitCommands::bitcount)
                .doc("Counts the number of set bits (population counting) in a string.");
        bitmap.add("bitpos", -3, "readonly", one(READ), "2.8.7", BitCommands::bitpos)
                .doc("Finds the first set (1) or clear (0) bit in a string.");
        bitmap.add(
                        "bitop",
                        -4,
                        "write denyoom",
                        CommandTable.Keys.of(KeySpec.at(2, WRITE), new KeySpec(3, -1, 1, READ)),
                        "2.6.0",
                        BitCommands::bitop)
                .doc("Performs bitwise operations on multiple strings, and stores the result.");
        bitmap.add("bitfield", -2, "write denyoom", one(Bitfield::keyAccess), "3.2.0", r -> Bitfield.run(r, false))
                .doc("Performs arbitrary bitfield integer operations on strings.");
        bitmap.add("bitfield_ro", -2, "readonly fast", one(READ), "6.0.0", r -> Bitfield.run(r, true))
                .doc("Performs arbitrary read-only bitfield integer operations on strings.");
    }

    private static CommandError badBit() {
        return new CommandError("ERR bit is not an integer or out of range");
    }

    /** SETBIT key offset 0|1: the bit's old value; the string grows (zero-filled) to reach the offset. */
    static void setbit(Request r) {
        byte[] key = r.argv[1];
        long offset = Bits.offsetArg(r.argv[2], 0);
        long bit;
        try {
            bit = r.longArg(3);
        } catch (CommandError e) {
            throw badBit();
        }
        if (bit != 0 && bit != 1) {
            throw badBit();
        }
        StringCommands.checkWritableKey(key);
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue v = r.ks.get(key);
            int length = v == null ? 0 : v.length();
            int old = v == null ? 0 : Bits.get(v.raw(), v.offset(), length, offset);
            int needed = (int) (offset >>> 3) + 1; // offsetArg keeps it under MAX_PAYLOAD
            if (v == null || needed > length || old != bit) {
                byte[] next = new byte[Math.max(length, needed)];
                if (v != null) {
                    System.arraycopy(v.raw(), v.offset(), next, 0, length);
                }
                Bits.set(next, offset, (int) bit);
                r.ks.put(key, next, v == null ? 0 : v.expireAt());
                if (v == null) {
                    r.created(key);
                }
                r.event(KeyspaceEvents.STRING, "setbit", key);
            }
            r.out.integer(old);
        }
    }

    static void getbit(Request r) {
        long offset = Bits.offsetArg(r.argv[2], 0);
        StoredValue v = r.ks.get(r.argv[1]);
        r.out.integer(v == null ? 0 : Bits.get(v.raw(), v.offset(), v.length(), offset));
    }

    /** BITCOUNT key [start end [BYTE|BIT]]: a missing key counts 0 before any argument is looked at, as in Redis. */
    static void bitcount(Request r) {
        StoredValue v = r.ks.get(r.argv[1]);
        if (v == null) {
            r.out.integer(0);
            return;
        }
        BitRange range;
        if (r.argc() == 2) {
            range = BitRange.of(0, -1, v.length(), false);
        } else if (r.argc() == 4 || r.argc() == 5) {
            long start = r.longArg(2);
            long end = r.longArg(3);
            if (start < 0 && end < 0 && start > end) {
                r.out.integer(0);
                return;
            }
            range = BitRange.of(start, end, v.length(), r.argc() == 5 && BitRange.bitUnit(r, 4));
        } else {
            throw CommandError.SYNTAX;
        }
        r.out.integer(range == null ? 0 : Bits.count(v.raw(), v.offset(), range.first(), range.last()));
    }

    /**
     * BITPOS key bit [start [end [BYTE|BIT]]]: a missing key is all zeros. Looking for a 0 without
     * an end, the bits past the string count as zeros (the answer may be the string's bit length).
     */
    static void bitpos(Request r) {
        long bit = r.longArg(2);
        if (bit != 0 && bit != 1) {
            throw new CommandError("ERR The bit argument must be 1 or 0.");
        }
        StoredValue v = r.ks.get(r.argv[1]);
        if (v == null) {
            r.out.integer(bit == 1 ? -1 : 0);
            return;
        }
        if (r.argc() > 6) {
            throw CommandError.SYNTAX;
        }
        long start = r.argc() > 3 ? r.longArg(3) : 0;
        boolean bitUnit = r.argc() == 6 && BitRange.bitUnit(r, 5);
        boolean endGiven = r.argc() >= 5;
        long end = endGiven ? r.longArg(4) : -1;
        BitRange range = BitRange.of(start, end, v.length(), bitUnit);
        if (range == null) {
            r.out.integer(-1);
            return;
        }
        long found = Bits.find(v.raw(), v.offset(), range.first(), range.last(), (int) bit);
        if (found == -1 && bit == 0 && !endGiven) {
            found = range.last() + 1;
        }
        r.out.integer(found);
    }

    private enum Op {
        AND,
        OR,
        XOR,
        NOT
    }

    /**
     * BITOP op destkey key [key ...]: the sources, missing ones as empty strings, padded with
     * zeros to the longest; the result replaces destkey (without its TTL), or deletes it when
     * every source is empty. Replies with the result's length.
     */
    static void bitop(Request r) {
        Op op;
        try {
            op = Op.valueOf(r.upper(1));
        } catch (IllegalArgumentException e) {
            throw CommandError.SYNTAX;
        }
        if (op == Op.NOT && r.argc() != 4) {
            throw new CommandError("ERR BITOP NOT must be called with a single source key.");
        }
        byte[] dest = r.argv[2];
        try (Keyspace.Locked ignored = r.ks.lock(r.argv, 2, 1)) {
            StoredValue[] sources = new StoredValue[r.argc() - 3];
            int longest = 0;
            for (int i = 0; i < sources.length; i++) {
                sources[i] = r.ks.get(r.argv[3 + i]);
                longest = Math.max(longest, sources[i] == null ? 0 : sources[i].length());
            }
            if (longest == 0) {
                if (Keyspace.storable(dest) && r.ks.get(dest) != null) {
                    r.ks.delete(dest);
                    r.event(KeyspaceEvents.GENERIC, "del", dest);
                }
                r.out.integer(0);
                return;
            }
            StringCommands.checkWritableKey(dest);
            byte[] result = new byte[longest];
            copyPadded(sources[0], result);
            if (op == Op.NOT) {
                for (int j = 0; j < longest; j++) {
                    result[j] = (byte) ~result[j];
                }
            }
            byte[] other = new byte[longest];
            for (int i = 1; i < sources.length; i++) {
                copyPadded(sources[i], other);
                for (int j = 0; j < longest; j++) {
                    result[j] = switch (op) {
                        case AND -> (byte) (result[j] & other[j]);
                        case OR -> (byte) (result[j] | other[j]);
                        default -> (byte) (result[j] ^ other[j]);
                    };
                }
            }
            boolean creates = r.ks.get(dest) == null;
            r.ks.put(dest, result, 0);
            if (creates) {
                r.created(dest);
            }
            r.event(KeyspaceEvents.STRING, "set", dest);
            r.out.integer(longest);
        }
    }

    /** Fills {@code to} with the value's bytes, then zeros. */
    private static void copyPadded(StoredValue v, byte[] to) {
        int n = v == null ? 0 : v.length();
        if (n > 0) {
            System.arraycopy(v.raw(), v.offset(), to, 0, n);
        }
        Arrays.fill(to, n, to.length, (byte) 0);
    }
}
