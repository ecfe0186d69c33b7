package io.strata.server.script;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Roberto Ierusalimschy's struct library, which Redis loads as {@code struct}:
 * {@code pack(fmt, ...)}, {@code unpack(fmt, s [, pos])} (the values, then the position after
 * them) and {@code size(fmt)}. The format's letters: {@code <} {@code >} little and big endian,
 * {@code !n} alignment up to n (a power of 2; 8 without n), {@code x} a zero byte, {@code b B}
 * {@code h H} {@code l L} {@code T} signed and unsigned integers of 1, 2, 8 and 8 (size_t)
 * bytes, {@code in In} of n bytes (default 4, at most 32), {@code cn} n characters (packing,
 * {@code c0} is the whole string; unpacking, the length is the number read before), {@code s}
 * a zero-terminated string, {@code f d} a float and a double, {@code ' '} ignored; the format
 * ends at a zero byte, as a C string.
 *
 * <p>The sizes, the native order (little-endian) and C's conversions of out-of-range numbers are
 * those of Redis built by gcc for x86-64 Linux, as Redis ships. Integers go through Lua 5.1's
 * double: past 2^53 they lose precision, as in Redis.
 */
final class StructLib {
    private StructLib() {}

    /** sizeof(int) and sizeof(long), sizeof(size_t) on x86-64 Linux. */
    private static final int INT_SIZE = 4;

    private static final int LONG_SIZE = 8;

    /** MAXALIGN: the alignment of a double in a struct (8), the default of {@code !}. */
    private static final int MAX_ALIGN = 8;

    /** MAXINTSIZE: the largest integer of {@code in}. */
    private static final int MAX_INT_SIZE = 32;

    static LuaTable create() {
        LuaTable struct = new LuaTable();
        struct.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return pack(args);
            }
        });
        struct.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return unpack(args);
            }
        });
        struct.rawset("size", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaValue.valueOf(size(args));
            }
        });
        return struct;
    }

    /**
     * A format being read, with its options so far (byte order, alignment); confined to one call.
     * Its errors name the function reading it.
     */
    private static final class Format {
        private final LuaString text;
        private final String function;
        private int i;
        private boolean little = true; // (the native order)
        private int align = 1;

        Format(String function, Varargs args) {
            this.function = function;
            this.text = LuaArgs.string(function, args, 1);
        }

        private int peek() {
            return i < text.m_length ? text.m_bytes[text.m_offset + i] & 0xff : 0;
        }

        /** Whether a letter is left before the end or a zero byte (the end of a C string). */
        boolean more() {
            return peek() != 0;
        }

        int next() {
            int c = peek();
            i++;
            return c;
        }

        /** getnum: the digits that follow, if any, else {@code otherwise}. */
        private int number(int otherwise) {
            if (!isDigit(peek())) {
                return otherwise;
            }
            int a = 0;
            do {
                int digit = next() - '0';
                if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - digit) {
                    throw new LuaError("integral size overflow");
                }
                a = a * 10 + digit;
            } while (isDigit(peek()));
            return a;
        }

        /** optsize: the bytes of an option (0 for the options that are no data, and {@code s}). */
        int size(int opt) {
            return switch (opt) {
                case 'B', 'b', 'x' -> 1;
                case 'H', 'h' -> 2;
                case 'L', 'l', 'T' -> LONG_SIZE;
                case 'f' -> 4;
                case 'd' -> 8;
                case 'c' -> number(1);
                case 'i', 'I' -> {
                    int size = number(INT_SIZE);
                    if (size > MAX_INT_SIZE) {
                        throw new LuaError("integral size " + size + " is larger than limit of " + MAX_INT_SIZE);
                    }
                    yield size;
                }
                default -> 0;
            };
        }

        /** gettoalign: the padding before an item of {@code size} bytes at {@code position}. */
        int padding(long position, int opt, int size) {
            if (size == 0 || opt == 'c') {
                return 0;
            }
            long unit = Math.min(size, align); // (as C: not always a power of 2, e.g. i3)
            return (int) ((unit - (position & (unit - 1))) & (unit - 1));
        }

        /** controloptions: spaces, byte order and alignment; any other letter is an error. */
        void control(int opt) {
            switch (opt) {
                case ' ' -> {}
                case '>' -> little = false;
                case '<' -> little = true;
                case '!' -> {
                    int a = number(MAX_ALIGN);
                    if (a <= 0 || (a & (a - 1)) != 0) {
                        throw new LuaError("alignment " + a + " is not a power of 2");
                    }
                    align = a;
                }
                default -> throw LuaArgs.error(function, 1, "invalid format option '" + (char) opt + "'");
            }
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isInteger(int opt) {
        return "bBhHlLTiI".indexOf(opt) >= 0;
    }

    static LuaString pack(Varargs given) {
        Format f = new Format("pack", given);
        Varargs args = withNilMark(given);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 2;
        while (f.more()) {
            int opt = f.next();
            int size = f.size(opt);
            int padding = f.padding(out.size(), opt, size);
            for (int i = 0; i < padding; i++) {
                out.write(0);
            }
            if (isInteger(opt)) {
                double n = LuaArgs.number("pack", args, arg++);
                write(n < 0 ? LuaNumbers.toInteger(n) : toUnsigned(n), size, f.little, out);
            } else if (opt == 'x') {
                out.write(0);
            } else if (opt == 'f') {
                write(Float.floatToRawIntBits((float) LuaArgs.number("pack", args, arg++)), 4, f.little, out);
            } else if (opt == 'd') {
                write(Double.doubleToRawLongBits(LuaArgs.number("pack", args, arg++)), 8, f.little, out);
            } else if (opt == 'c' || opt == 's') {
                LuaString s = LuaArgs.string("pack", args, arg++);
                int n = size == 0 ? s.m_length : size;
                if (s.m_length < n) {
                    throw LuaArgs.error("pack", arg, "string too short"); // (Redis names the next argument)
                }
                out.write(s.m_bytes, s.m_offset, n);
                if (opt == 's') {
                    out.write(0);
                }
            } else {
                f.control(opt);
            }
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    /**
     * The arguments and a nil after them, as Redis's pack has them on the Lua stack (the nil marks
     * where its buffer starts): an item without an argument gets that nil ({@code number expected,
     * got nil}, not {@code got no value}).
     */
    private static Varargs withNilMark(Varargs args) {
        LuaValue[] v = new LuaValue[args.narg() + 1];
        for (int i = 0; i < args.narg(); i++) {
            v[i] = args.arg(i + 1);
        }
        v[args.narg()] = LuaValue.NIL;
        return LuaValue.varargsOf(v);
    }

    /** The low {@code size} bytes of {@code value} (zeros past its 8) in the given order. */
    private static void write(long value, int size, boolean little, ByteArrayOutputStream out) {
        byte[] b = new byte[size];
        long v = value;
        for (int i = 0; i < size; i++) {
            b[little ? i : size - 1 - i] = (byte) v;
            v >>>= 8;
        }
        out.write(b, 0, size);
    }

    /**
     * C's cast of a double to an unsigned 64-bit integer as gcc compiles it for x86-64: exact
     * below 2^64, 0 from 2^64 on, and the top bit alone for NaN.
     */
    static long toUnsigned(double n) {
        if (Double.isNaN(n)) {
            return Long.MIN_VALUE;
        }
        if (n < 0x1p63) {
            return (long) n;
        }
        return n < 0x1p64 ? (long) (n - 0x1p63) ^ Long.MIN_VALUE : 0;
    }

    /** An unsigned 64-bit integer as the nearest double. */
    private static double unsignedToDouble(long l) {
        return l >= 0 ? l : ((l >>> 1) | (l & 1)) * 2.0;
    }

    static Varargs unpack(Varargs args) {
        Format f = new Format("unpack", args);
        LuaString data = LuaArgs.string("unpack", args, 2);
        long start = LuaArgs.optInteger("unpack", args, 3, 1);
        if (start == 0) { // (a C size_t: a negative position passes here, and fails below as too far)
            throw LuaArgs.error("unpack", 3, "offset must be 1 or greater");
        }
        long length = data.m_length;
        long pos = start - 1; // unsigned, as C's size_t
        List<LuaValue> results = new ArrayList<>();
        while (f.more()) {
            int opt = f.next();
            long size = f.size(opt);
            pos += f.padding(pos, opt, (int) size);
            checkRoom(size, pos, length);
            if (args.narg() + results.size() + 2 > LuaArgs.C_STACK) {
                throw new LuaError("stack overflow (too many results)");
            }
            int at = data.m_offset + (int) pos;
            if (isInteger(opt)) {
                long l = read(data.m_bytes, at, (int) size, f.little);
                if (Character.isLowerCase(opt)) {
                    long mask = -1L << (size * 8 - 1); // (shift counts mod 64, as x86's)
                    results.add(LuaValue.valueOf((double) ((l & mask) != 0 ? l | mask : l)));
                } else {
                    results.add(LuaValue.valueOf(unsignedToDouble(l)));
                }
            } else if (opt == 'f') {
                results.add(LuaValue.valueOf(Float.intBitsToFloat((int) read(data.m_bytes, at, 4, f.little))));
            } else if (opt == 'd') {
                results.add(LuaValue.valueOf(Double.longBitsToDouble(read(data.m_bytes, at, 8, f.little))));
            } else if (opt == 'c') {
                if (size == 0) {
                    LuaValue previous = results.isEmpty()
                            ? LuaValue.NIL
                            : results.get(results.size() - 1).tonumber();
                    if (previous.isnil()) {
                        throw new LuaError("format 'c0' needs a previous size");
                    }
                    size = toUnsigned(previous.todouble());
                    results.remove(results.size() - 1);
                    checkRoom(size, pos, length);
                }
                results.add(LuaValue.valueOf(Arrays.copyOfRange(data.m_bytes, at, at + (int) size)));
            } else if (opt == 's') {
                int zero = at;
                while (zero < data.m_offset + length && data.m_bytes[zero] != 0) {
                    zero++;
                }
                if (zero == data.m_offset + length) {
                    throw new LuaError("unfinished string in data");
                }
                results.add(LuaValue.valueOf(Arrays.copyOfRange(data.m_bytes, at, zero)));
                size = zero - at + 1L;
            } else if (opt != 'x') {
                f.control(opt);
            }
            pos += size;
        }
        results.add(LuaValue.valueOf((double) (pos + 1)));
        return LuaValue.varargsOf(results.toArray(new LuaValue[0]));
    }

    /** The item of {@code size} bytes at {@code pos} (both unsigned) must end within the data. */
    private static void checkRoom(long size, long pos, long length) {
        if (Long.compareUnsigned(size, length) > 0 || Long.compareUnsigned(pos, length - size) > 0) {
            throw LuaArgs.error("unpack", 2, "data string too short");
        }
    }

    /** getinteger's bytes: the last 8 of {@code size} in significance count, as C's shifts keep. */
    private static long read(byte[] b, int at, int size, boolean little) {
        long l = 0;
        for (int i = 0; i < size; i++) {
            l = l << 8 | (b[at + (little ? size - 1 - i : i)] & 0xff);
        }
        return l;
    }

    static long size(Varargs args) {
        Format f = new Format("size", args);
        long pos = 0;
        while (f.more()) {
            int opt = f.next();
            int size = f.size(opt);
            pos += f.padding(pos, opt, size);
            if (opt == 's') {
                throw LuaArgs.error("size", 1, "option 's' has no fixed size");
            }
            if (opt == 'c' && size == 0) {
                throw LuaArgs.error("size", 1, "option 'c0' has no fixed size");
            }
            if (!isDigit(opt) && !(opt >= 'a' && opt <= 'z') && !(opt >= 'A' && opt <= 'Z')) {
                f.control(opt); // (C's isalnum: a letter no option has is 0 bytes here, as in Redis)
            }
            pos += size;
        }
        return pos;
    }
}
