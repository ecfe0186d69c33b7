package io.strata.server.script;

import org.luaj.vm2.Buffer;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua 5.1's {@code table.concat(list [, sep [, i [, j]]])}: luaj's writes a number with Java's
 * float text ({@code 3.0E-4}), Lua 5.1 with {@code %.14g} ({@link LuaNumbers#format}), as it does
 * the separator when that is a number.
 */
final class TableConcat extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
        LuaTable list = args.checktable(1);
        LuaString sep = args.isnoneornil(2) ? LuaValue.EMPTYSTRING : text(args.arg(2), -1);
        int first = args.optint(3, 1);
        int last = args.isnoneornil(4) ? list.length() : args.checkint(4);
        Buffer out = new Buffer();
        for (int i = first; i <= last; i++) {
            out.append(text(list.get(i), i));
            if (i < last) {
                out.append(sep);
            }
        }
        return out.tostring();
    }

    /** A string as it is, a number as Lua 5.1 writes it; anything else is an error (at {@code index}; -1: sep). */
    private static LuaString text(LuaValue v, int index) {
        if (v.type() == LuaValue.TNUMBER) {
            return LuaValue.valueOf(LuaNumbers.format(v.todouble()));
        }
        if (v.type() == LuaValue.TSTRING) {
            return v.checkstring();
        }
        if (index < 0) {
            throw new LuaError("bad argument #2 to 'concat' (string expected, got " + v.typename() + ")");
        }
        throw new LuaError("invalid value (" + v.typename() + ") at index " + index + " in table for 'concat'");
    }
}
