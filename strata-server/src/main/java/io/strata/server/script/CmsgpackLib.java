package io.strata.server.script;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * lua-cmsgpack 0.4.0, which Redis loads as {@code cmsgpack}: {@code pack(v, ...)} writes each
 * value as MessagePack, one after another; {@code unpack(s)} reads them all back as several
 * results, {@code unpack_one(s [, offset])} one and {@code unpack_limit(s, n [, offset])} up to
 * n, each first returning the offset to go on from ({@code -1} at the end). As Redis's, on
 * Lua 5.1 numbers:
 *
 * <ul>
 *   <li>a number that is a 64-bit integer is the smallest MessagePack integer holding it, any
 *       other a float32 when that holds it exactly, else a float64;
 *   <li>a table whose keys are exactly 1..n is an array (so {@code {}} is an empty array), any
 *       other a map, in the table's iteration order;
 *   <li>a table 16 tables deep is written as nil (so a table holding itself is cut there); nil,
 *       functions, userdata and threads are nil;
 *   <li>reading, an integer of 64 bits is a Lua number (a uint64 past 2^63 wraps to negative as
 *       Redis's cast does), MessagePack's bin, ext and fixext types are "Bad data format in
 *       input.", data ending early "Missing bytes in input.".
 * </ul>
 */
final class CmsgpackLib {
    private CmsgpackLib() {}

    /** LUACMSGPACK_MAX_NESTING: a table this many tables deep is written as nil. */
    static final int MAX_NESTING = 16;

    static LuaTable create() {
        LuaTable cmsgpack = new LuaTable();
        cmsgpack.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return pack(args);
            }
        });
        cmsgpack.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return unpack("unpack", args, 0, 0, args.narg());
            }
        });
        cmsgpack.rawset("unpack_one", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                long offset = LuaArgs.optInteger("unpack_one", args, 2, 0);
                return unpack("unpack_one", args, 1, offset, 1);
            }
        });
        cmsgpack.rawset("unpack_limit", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                long limit = LuaArgs.integer("unpack_limit", args, 2);
                long offset = LuaArgs.optInteger("unpack_limit", args, 3, 0);
                return unpack("unpack_limit", args, limit, offset, 1);
            }
        });
        cmsgpack.rawset("_NAME", LuaValue.valueOf("cmsgpack"));
        cmsgpack.rawset("_VERSION", LuaValue.valueOf("lua-cmsgpack 0.4.0"));
        cmsgpack.rawset("_COPYRIGHT", LuaValue.valueOf("Copyright (C) 2012, Salvatore Sanfilippo"));
        cmsgpack.rawset("_DESCRIPTION", LuaValue.valueOf("MessagePack C implementation for Lua"));
        return cmsgpack;
    }

    static LuaString pack(Varargs args) {
        if (args.narg() == 0) {
            throw LuaArgs.error("pack", 0, "MessagePack pack needs input.");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= args.narg(); i++) {
            encode(args.arg(i), out, 0);
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static void encode(LuaValue v, ByteArrayOutputStream out, int level) {
        switch (v.type()) {
            case LuaValue.TSTRING -> string(v.checkstring(), out);
            case LuaValue.TBOOLEAN -> out.write(v.toboolean() ? 0xc3 : 0xc2);
            case LuaValue.TNUMBER -> number(v.todouble(), out);
            case LuaValue.TTABLE -> {
                if (level == MAX_NESTING) {
                    out.write(0xc0);
                } else {
                    table((LuaTable) v, out, level);
                }
            }
            default -> out.write(0xc0);
        }
    }

    private static void string(LuaString s, ByteArrayOutputStream out) {
        int n = s.m_length;
        if (n < 32) {
            out.write(0xa0 | n);
        } else if (n <= 0xff) {
            out.write(0xd9);
            out.write(n);
        } else if (n <= 0xffff) {
            out.write(0xda);
            bigEndian(n, 2, out);
        } else {
            out.write(0xdb);
            bigEndian(n, 4, out);
        }
        out.write(s.m_bytes, s.m_offset, n);
    }

    /** A number that a C cast to int64 keeps exactly is an integer; NaN, infinities and fractions are floats. */
    private static void number(double d, ByteArrayOutputStream out) {
        if (d >= -0x1p63 && d < 0x1p63 && (long) d == d) {
            integer((long) d, out);
        } else if ((float) d == d) {
            out.write(0xca);
            bigEndian(Float.floatToRawIntBits((float) d), 4, out);
        } else {
            out.write(0xcb);
            bigEndian(Double.doubleToRawLongBits(d), 8, out);
        }
    }

    private static void integer(long n, ByteArrayOutputStream out) {
        if (n >= 0) {
            if (n <= 127) {
                out.write((int) n);
            } else if (n <= 0xff) {
                header(0xcc, n, 1, out);
            } else if (n <= 0xffff) {
                header(0xcd, n, 2, out);
            } else if (n <= 0xffffffffL) {
                header(0xce, n, 4, out);
            } else {
                header(0xcf, n, 8, out);
            }
        } else if (n >= -32) {
            out.write((int) n & 0xff);
        } else if (n >= Byte.MIN_VALUE) {
            header(0xd0, n, 1, out);
        } else if (n >= Short.MIN_VALUE) {
            header(0xd1, n, 2, out);
        } else if (n >= Integer.MIN_VALUE) {
            header(0xd2, n, 4, out);
        } else {
            header(0xd3, n, 8, out);
        }
    }

    private static void header(int type, long n, int bytes, ByteArrayOutputStream out) {
        out.write(type);
        bigEndian(n, bytes, out);
    }

    private static void bigEndian(long n, int bytes, ByteArrayOutputStream out) {
        for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
            out.write((int) (n >>> shift) & 0xff);
        }
    }

    private static void table(LuaTable t, ByteArrayOutputStream out, int level) {
        int count = 0;
        boolean array = true;
        double max = 0;
        LuaValue k = LuaValue.NIL;
        while (!(k = t.next(k).arg1()).isnil()) {
            count++;
            double n = k.type() == LuaValue.TNUMBER ? k.todouble() : 0;
            // Redis's test: a number key, positive, that a C int holds exactly.
            array &= n > 0 && n <= Integer.MAX_VALUE && n == Math.rint(n);
            max = Math.max(max, n);
        }
        if (array && max == count) {
            collection(0x90, 0xdc, count, out);
            for (int i = 1; i <= count; i++) {
                encode(t.rawget(i), out, level + 1);
            }
            return;
        }
        collection(0x80, 0xde, count, out);
        k = LuaValue.NIL;
        while (true) {
            Varargs entry = t.next(k);
            k = entry.arg1();
            if (k.isnil()) {
                return;
            }
            encode(k, out, level + 1);
            encode(entry.arg(2), out, level + 1);
        }
    }

    /** An array's or a map's header: the fix type up to 15 entries, then its 16-bit and 32-bit types. */
    private static void collection(int fix, int type16, int n, ByteArrayOutputStream out) {
        if (n <= 15) {
            out.write(fix | n);
        } else if (n <= 0xffff) {
            header(type16, n, 2, out);
        } else {
            header(type16 + 1, n, 4, out);
        }
    }

    /**
     * mp_unpack_full: up to {@code limit} values from {@code offset} (both 0: all of them, and no
     * offset first). Redis words a negative argument's error with the input's length where the
     * limit belongs; so does this.
     *
     * @param stackArgs the arguments Redis leaves on the Lua stack while it decodes
     */
    static Varargs unpack(String function, Varargs args, long limit, long offset, int stackArgs) {
        LuaString s = LuaArgs.string(function, args, 1);
        int len = s.m_length;
        if (offset < 0 || limit < 0) {
            throw new LuaError(
                    "Invalid request to unpack with offset of " + (int) offset + " and limit of " + len + ".");
        }
        if (offset > len) {
            throw new LuaError("Start offset " + (int) offset + " greater than input length " + len + ".");
        }
        boolean all = limit == 0 && offset == 0;
        Decoder d = new Decoder(s, (int) offset, stackArgs);
        List<LuaValue> values = new ArrayList<>();
        if (!all) {
            values.add(LuaValue.NIL); // the offset's place
        }
        for (int n = 0; d.pos < d.end && (all || n < limit); n++) {
            values.add(d.value(n));
        }
        if (!all) {
            values.set(0, LuaValue.valueOf(d.pos == d.end ? -1 : d.pos - s.m_offset));
        }
        return LuaValue.varargsOf(values.toArray(new LuaValue[0]));
    }

    /**
     * Reads values from a string; confined to one call. Tables are read with a stack of those
     * open, not by recursion, so that deep input fails as in Redis and never on the JVM's stack.
     */
    private static final class Decoder {
        private final byte[] b;
        private final int end;
        private final int stackArgs;
        private int pos;

        /** The Lua stack slots Redis's decoder would hold at this point of the value being read. */
        private int held;

        Decoder(LuaString s, int offset, int stackArgs) {
            this.b = s.m_bytes;
            this.pos = s.m_offset + offset;
            this.end = s.m_offset + s.m_length;
            this.stackArgs = stackArgs;
        }

        /** A table being read: its entries left, the next array index, a map's key read. */
        private static final class Open {
            final LuaTable table = new LuaTable(); // (not sized: the input may claim more than it holds)
            final boolean map;
            long left;
            long index = 1;
            boolean haveKey;
            LuaValue key = LuaValue.NIL;

            Open(boolean map, long left) {
                this.map = map;
                this.left = left;
            }

            /** The Lua stack slots Redis's decoder holds for it: the table, and an array's index or a map's key. */
            int slots() {
                return map && !haveKey ? 1 : 2;
            }
        }

        private void need(long n) {
            if (end - pos < n) {
                throw new LuaError("Missing bytes in input.");
            }
        }

        private long read(int bytes) {
            need(bytes);
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                v = v << 8 | (b[pos++] & 0xff);
            }
            return v;
        }

        private LuaValue bytes(long n) {
            need(n);
            LuaValue s = LuaValue.valueOf(Arrays.copyOfRange(b, pos, pos + (int) n));
            pos += (int) n;
            return s;
        }

        /**
         * Redis's luaL_checkstack: the slots held and those asked for must fit in Lua 5.1's C
         * stack limit.
         */
        private void checkStack(int asked, String why) {
            if (held + asked > LuaArgs.C_STACK) {
                throw new LuaError("stack overflow (" + why + ")");
            }
        }

        /**
         * One top-level value, after {@code before} others. Before each value, as Redis's
         * decoder, the Lua stack must have room for it: its arguments, the values before, and
         * each open table's slots, plus one.
         */
        LuaValue value(int before) {
            Deque<Open> open = new ArrayDeque<>();
            held = stackArgs + before;
            while (true) {
                need(1);
                checkStack(1, "too many return values at once; use unpack_one or unpack_limit instead.");
                LuaValue v = item(open);
                if (v == null) {
                    held += open.peek().slots();
                    continue;
                }
                while (true) {
                    Open t = open.peek();
                    if (t == null) {
                        return v;
                    }
                    held -= t.slots();
                    if (!store(t, v)) {
                        held += t.slots();
                        break;
                    }
                    open.pop();
                    v = t.table;
                }
            }
        }

        /** Reads a value; for a table with entries, opens it and returns null. */
        private LuaValue item(Deque<Open> open) {
            int type = b[pos++] & 0xff;
            return switch (type) {
                case 0xc0 -> LuaValue.NIL;
                case 0xc2 -> LuaValue.FALSE;
                case 0xc3 -> LuaValue.TRUE;
                case 0xcc -> LuaValue.valueOf(read(1));
                case 0xcd -> LuaValue.valueOf(read(2));
                case 0xce -> LuaValue.valueOf(read(4));
                case 0xcf, 0xd3 -> LuaValue.valueOf((double) read(8));
                case 0xd0 -> LuaValue.valueOf((byte) read(1));
                case 0xd1 -> LuaValue.valueOf((short) read(2));
                case 0xd2 -> LuaValue.valueOf((int) read(4));
                case 0xca -> LuaValue.valueOf(Float.intBitsToFloat((int) read(4)));
                case 0xcb -> LuaValue.valueOf(Double.longBitsToDouble(read(8)));
                case 0xd9 -> bytes(read(1));
                case 0xda -> bytes(read(2));
                case 0xdb -> bytes(read(4));
                case 0xdc -> open(open, false, read(2));
                case 0xdd -> open(open, false, read(4));
                case 0xde -> open(open, true, read(2));
                case 0xdf -> open(open, true, read(4));
                default -> {
                    if ((type & 0x80) == 0 || (type & 0xe0) == 0xe0) {
                        yield LuaValue.valueOf((byte) type); // a positive or a negative fixnum
                    } else if ((type & 0xe0) == 0xa0) {
                        yield bytes(type & 0x1f);
                    } else if ((type & 0xf0) == 0x90) {
                        yield open(open, false, type & 0xf);
                    } else if ((type & 0xf0) == 0x80) {
                        yield open(open, true, type & 0xf);
                    }
                    throw new LuaError("Bad data format in input."); // 0xc1, bin, ext and fixext
                }
            };
        }

        private LuaValue open(Deque<Open> open, boolean map, long entries) {
            if (!map) {
                checkStack(2, "in function mp_decode_to_lua_array"); // (its new table, and one more)
            }
            if (entries == 0) {
                return new LuaTable();
            }
            open.push(new Open(map, entries));
            return null;
        }

        /** Puts a value read into the table open; true when that is complete. */
        private static boolean store(Open t, LuaValue v) {
            if (t.map && !t.haveKey) {
                t.key = v;
                t.haveKey = true;
                return false;
            }
            if (!t.map) {
                t.table.rawset(LuaValue.valueOf((double) t.index++), v);
            } else {
                // lua_settable's errors, raised outside the script's code (no position).
                if (t.key.isnil()) {
                    throw new LuaErrors.Unpositioned(LuaValue.valueOf("table index is nil"));
                }
                if (t.key.type() == LuaValue.TNUMBER && Double.isNaN(t.key.todouble())) {
                    throw new LuaErrors.Unpositioned(LuaValue.valueOf("table index is NaN"));
                }
                t.table.rawset(t.key, v);
                t.haveKey = false;
                t.key = LuaValue.NIL;
            }
            return --t.left == 0;
        }
    }
}
