package io.strata.server;

import io.strata.server.acl.KeyAccess;
import io.strata.server.store.Keyspace;
import io.strata.server.store.StoredValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BITFIELD key [GET type offset | SET type offset value | INCRBY type offset increment |
 * OVERFLOW WRAP|SAT|FAIL] ... and BITFIELD_RO (GET only). Every operation is parsed and checked
 * before any runs; a write grows the string (zero-filled) to the farthest field written.
 */
final class Bitfield {
    private Bitfield() {}

    private static CommandError badType() {
        return new CommandError(
                "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
    }

    private enum Kind {
        GET,
        SET,
        INCRBY
    }

    /** One operation; {@code value} is SET's value or INCRBY's increment. */
    private record Field(Kind kind, boolean signed, int width, long offset, long value, BitfieldOverflow overflow) {
        long read(byte[] a, int off, int len) {
            long v = Bits.getField(a, off, len, offset, width);
            return signed ? BitfieldOverflow.wrap(v, width, true) : v;
        }
    }

    /** For ACL: BITFIELD reads its key, and writes it too if any operation is a SET or an INCRBY. */
    static int keyAccess(byte[][] argv) {
        for (int j = 2; j < argv.length; j++) {
            String op = new String(argv[j], StandardCharsets.UTF_8);
            if (op.equalsIgnoreCase("SET") || op.equalsIgnoreCase("INCRBY")) {
                return KeyAccess.READS | KeyAccess.WRITES;
            }
        }
        return KeyAccess.READS;
    }

    static void run(Request r, boolean readOnly) {
        List<Field> fields = parse(r);
        long highest = -1; // the last bit any SET or INCRBY writes
        for (Field f : fields) {
            if (f.kind() != Kind.GET) {
                highest = Math.max(highest, f.offset() + f.width() - 1);
            }
        }
        if (highest < 0) {
            StoredValue v = r.ks.get(r.argv[1]);
            r.out.array(fields.size());
            for (Field f : fields) {
                r.out.integer(v == null ? 0 : f.read(v.raw(), v.offset(), v.length()));
            }
            return;
        }
        if (readOnly) {
            throw new CommandError("ERR BITFIELD_RO only supports the GET subcommand");
        }
        byte[] key = r.argv[1];
        StringCommands.checkWritableKey(key);
        StringCommands.checkValueSize((highest >>> 3) + 1);
        try (Keyspace.Locked ignored = r.ks.lock(key)) {
            StoredValue v = r.ks.get(key);
            int length = v == null ? 0 : v.length();
            byte[] next = new byte[Math.max(length, (int) (highest >>> 3) + 1)];
            if (v != null) {
                System.arraycopy(v.raw(), v.offset(), next, 0, length);
            }
            boolean changed = v == null || next.length != length;
            r.out.array(fields.size());
            for (Field f : fields) {
                long old = f.read(next, 0, next.length);
                if (f.kind() == Kind.GET) {
                    r.out.integer(old);
                    continue;
                }
                Long stored = f.kind() == Kind.SET
                        ? f.overflow().apply(f.value(), 0, f.width(), f.signed())
                        : f.overflow().apply(old, f.value(), f.width(), f.signed());
                if (stored == null) {
                    r.out.nullBulk();
                    continue;
                }
                Bits.setField(next, f.offset(), f.width(), stored);
                changed |= stored != old;
                r.out.integer(f.kind() == Kind.SET ? old : stored);
            }
            if (changed) {
                r.ks.put(key, next, v == null ? 0 : v.expireAt());
                if (v == null) {
                    r.created(key);
                }
                r.event(KeyspaceEvents.STRING, "setbit", key);
            }
        }
    }

    private static List<Field> parse(Request r) {
        List<Field> fields = new ArrayList<>();
        BitfieldOverflow overflow = BitfieldOverflow.WRAP;
        for (int j = 2; j < r.argc(); j++) {
            int more = r.argc() - j - 1;
            Kind kind;
            if (r.is(j, "GET") && more >= 2) {
                kind = Kind.GET;
            } else if (r.is(j, "SET") && more >= 3) {
                kind = Kind.SET;
            } else if (r.is(j, "INCRBY") && more >= 3) {
                kind = Kind.INCRBY;
            } else if (r.is(j, "OVERFLOW") && more >= 1) {
                overflow = switch (r.upper(++j)) {
                    case "WRAP" -> BitfieldOverflow.WRAP;
                    case "SAT" -> BitfieldOverflow.SAT;
                    case "FAIL" -> BitfieldOverflow.FAIL;
                    default -> throw new CommandError("ERR Invalid OVERFLOW type specified");
                };
                continue;
            } else {
                throw CommandError.SYNTAX;
            }
            byte[] type = r.argv[j + 1];
            boolean signed = type.length > 0 && type[0] == 'i';
            if (type.length == 0 || (!signed && type[0] != 'u')) {
                throw badType();
            }
            long width;
            try {
                width = Numbers.parseLong(type, 1, type.length - 1);
            } catch (CommandError e) {
                throw badType();
            }
            if (width < 1 || width > (signed ? 64 : 63)) {
                throw badType();
            }
            long offset = Bits.offsetArg(r.argv[j + 2], (int) width);
            long value = kind == Kind.GET ? 0 : r.longArg(j + 3);
            fields.add(new Field(kind, signed, (int) width, offset, value, overflow));
            j += kind == Kind.GET ? 2 : 3;
        }
        return fields;
    }
}
