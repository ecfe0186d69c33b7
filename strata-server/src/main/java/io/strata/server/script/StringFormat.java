package io.strata.server.script;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.IllegalFormatException;
import java.util.Locale;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua 5.1's string.format, which luaj lacks for floating point (it prints {@code %5.2f} with
 * Java's default formatting): each of {@code %d %i %u %c %x %X %o %e %E %f %g %G %q %s %%} with
 * C's flags, width and precision. Java's Formatter is C's printf for the integer, {@code %e}
 * and {@code %f} conversions; {@code %g} is C's own (trailing zeros removed), and {@code %s}
 * writes a number as Lua does ({@code %.14g}).
 */
final class StringFormat extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
        LuaString fmt = args.checkstring(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 1;
        for (int i = 0; i < fmt.m_length; i++) {
            int c = fmt.luaByte(i);
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (++i >= fmt.m_length) {
                throw new LuaError("invalid option '%' to 'format'");
            }
            if (fmt.luaByte(i) == '%') {
                out.write('%');
                continue;
            }
            int start = i;
            while (i < fmt.m_length && "-+ #0".indexOf(fmt.luaByte(i)) >= 0) {
                i++;
            }
            while (i < fmt.m_length && (Character.isDigit(fmt.luaByte(i)) || fmt.luaByte(i) == '.')) {
                i++;
            }
            if (i >= fmt.m_length) {
                throw new LuaError("invalid option '%' to 'format'");
            }
            String spec = fmt.substring(start, i).tojstring();
            char conversion = (char) fmt.luaByte(i);
            arg++;
            if (conversion != 's'
                    && conversion != 'q'
                    && args.isnoneornil(arg)
                    && !args.arg(arg).isnumber()) {
                args.checkdouble(arg); // Lua's "bad argument #n to 'format' (number expected, got no value)"
            }
            write(out, conversion, spec, args, arg);
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static void write(ByteArrayOutputStream out, char conversion, String spec, Varargs args, int arg) {
        switch (conversion) {
            case 'd', 'i' -> ascii(out, java("%" + spec.replace("#", "") + "d", (long) args.checkdouble(arg)));
            case 'u' -> ascii(out, java("%" + spec.replace("#", "") + "d", (long) args.checkdouble(arg)));
            case 'c' -> out.write((int) args.checkdouble(arg));
            case 'x', 'X', 'o' -> ascii(out, java("%" + spec + conversion, (long) args.checkdouble(arg)));
            case 'e', 'E', 'f' -> ascii(out, java("%" + spec + conversion, args.checkdouble(arg)));
            case 'g', 'G' -> {
                String g = general(spec, args.checkdouble(arg));
                ascii(out, conversion == 'G' ? g.toUpperCase(Locale.ROOT) : g);
            }
            case 'q' -> quoted(out, args.checkstring(arg));
            case 's' -> {
                LuaValue v = args.arg(arg);
                String s = v.type() == LuaValue.TNUMBER ? LuaNumbers.format(v.todouble()) : args.checkjstring(arg);
                ascii(out, java("%" + spec + "s", s));
            }
            default -> throw new LuaError("invalid option '%" + conversion + "' to 'format'");
        }
    }

    private static String java(String format, Object value) {
        try {
            return String.format(Locale.ROOT, format, value);
        } catch (IllegalFormatException e) {
            throw new LuaError("invalid format '" + format + "' to 'format'");
        }
    }

    /** C's {@code %g}: precision significant digits (6 by default), trailing zeros removed, then flags and width. */
    private static String general(String spec, double d) {
        int dot = spec.indexOf('.');
        int precision = dot < 0 ? 6 : dot + 1 == spec.length() ? 0 : Integer.parseInt(spec.substring(dot + 1));
        String flags = spec.substring(0, dot < 0 ? spec.length() : dot).replaceAll("[0-9]+$", "");
        String widthText = spec.substring(flags.length(), dot < 0 ? spec.length() : dot);
        int width = widthText.isEmpty() ? 0 : Integer.parseInt(widthText);
        String s = LuaNumbers.format(d, Math.max(1, precision));
        if (!s.startsWith("-") && flags.contains("+")) {
            s = "+" + s;
        } else if (!s.startsWith("-") && flags.contains(" ")) {
            s = " " + s;
        }
        if (s.length() >= width) {
            return s;
        }
        String pad = " ".repeat(width - s.length());
        if (flags.contains("-")) {
            return s + pad;
        }
        if (flags.contains("0") && Double.isFinite(d)) {
            int sign = s.startsWith("-") || s.startsWith("+") || s.startsWith(" ") ? 1 : 0;
            return s.substring(0, sign) + "0".repeat(width - s.length()) + s.substring(sign);
        }
        return pad + s;
    }

    /** Lua 5.1's %q: a string in double quotes that Lua reads back as it is. */
    private static void quoted(ByteArrayOutputStream out, LuaString s) {
        out.write('"');
        for (int i = 0; i < s.m_length; i++) {
            int c = s.luaByte(i);
            switch (c) {
                case '"', '\\', '\n' -> {
                    out.write('\\');
                    out.write(c);
                }
                case '\r' -> ascii(out, "\\r");
                case 0 -> ascii(out, "\\000");
                default -> out.write(c);
            }
        }
        out.write('"');
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
