package io.strata.server.script;

import java.util.Locale;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * LuaBitOp's {@code bit} library, which Redis loads: operations on 32-bit integers, each
 * argument first reduced to one as LuaBitOp does (rounded to an integer, then its low 32
 * bits), each result a signed 32-bit number.
 */
final class BitLib {
    private BitLib() {}

    private interface Op {
        int apply(Varargs args);
    }

    static LuaTable create() {
        LuaTable bit = new LuaTable();
        add(bit, "tobit", a -> bitArg(a, 1));
        add(bit, "bnot", a -> ~bitArg(a, 1));
        add(bit, "band", a -> fold(a, (x, y) -> x & y));
        add(bit, "bor", a -> fold(a, (x, y) -> x | y));
        add(bit, "bxor", a -> fold(a, (x, y) -> x ^ y));
        add(bit, "lshift", a -> bitArg(a, 1) << bitArg(a, 2));
        add(bit, "rshift", a -> bitArg(a, 1) >>> bitArg(a, 2));
        add(bit, "arshift", a -> bitArg(a, 1) >> bitArg(a, 2));
        add(bit, "rol", a -> Integer.rotateLeft(bitArg(a, 1), bitArg(a, 2)));
        add(bit, "ror", a -> Integer.rotateRight(bitArg(a, 1), bitArg(a, 2)));
        add(bit, "bswap", a -> Integer.reverseBytes(bitArg(a, 1)));
        bit.rawset("tohex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaValue.valueOf(tohex(bitArg(args, 1), args.isnoneornil(2) ? 8 : bitArg(args, 2)));
            }
        });
        return bit;
    }

    private static void add(LuaTable bit, String name, Op op) {
        bit.rawset(name, new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaValue.valueOf(op.apply(args));
            }
        });
    }

    private interface Combine {
        int apply(int x, int y);
    }

    private static int fold(Varargs args, Combine c) {
        int r = bitArg(args, 1);
        for (int i = 2; i <= args.narg(); i++) {
            r = c.apply(r, bitArg(args, i));
        }
        return r;
    }

    /** LuaBitOp's barg: the number rounded to an integer (ties to even), its low 32 bits. */
    private static int bitArg(Varargs args, int i) {
        return (int) (long) Math.rint(args.checkdouble(i));
    }

    /**
     * {@code n} hex digits of the low bits of {@code x}; negative {@code n}: upper case. The
     * smallest int counts as one more, as Redis 7.2 takes it, so negating it cannot overflow.
     */
    static String tohex(int x, int n) {
        boolean upper = n < 0;
        int digits = Math.min(8, Math.abs(Math.max(n, Integer.MIN_VALUE + 1)));
        String hex = String.format(Locale.ROOT, "%08x", x).substring(8 - digits);
        return upper ? hex.toUpperCase(Locale.ROOT) : hex;
    }
}
