package io.strata.server.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A library function's argument checks as Lua 5.1's auxiliary library (luaL_check*) makes them,
 * with its texts: {@code bad argument #2 to 'pack' (number expected, got no value)}. A string
 * that reads as a number passes as a number, and a number as a string (written as Lua 5.1
 * writes it). The function is named by its library name: Lua 5.1 names it as the call site
 * does (a local alias's name, {@code ?} under pcall), which luaj does not tell.
 */
final class LuaArgs {
    private LuaArgs() {}

    /**
     * Lua 5.1's C stack limit (LUAI_MAXCSTACK): the slots a C function may use for its values and
     * results. Redis's cmsgpack and struct fail past it; so do these, so that input cannot
     * recurse without bound.
     */
    static final int C_STACK = 8000;

    /** luaL_argerror's text. */
    static LuaError error(String function, int arg, String message) {
        return new LuaError("bad argument #" + arg + " to '" + function + "' (" + message + ")");
    }

    private static LuaError typeError(String function, Varargs args, int arg, String expected) {
        String got = arg > args.narg() ? "no value" : args.arg(arg).typename();
        return error(function, arg, expected + " expected, got " + got);
    }

    /** luaL_checknumber. */
    static double number(String function, Varargs args, int arg) {
        LuaValue n = args.arg(arg).tonumber();
        if (n.isnil()) {
            throw typeError(function, args, arg, "number");
        }
        return n.todouble();
    }

    /** luaL_checkinteger: the number cast to a C integer (truncated toward zero). */
    static long integer(String function, Varargs args, int arg) {
        return LuaNumbers.toInteger(number(function, args, arg));
    }

    /** luaL_optinteger: the default when the argument is missing or nil. */
    static long optInteger(String function, Varargs args, int arg, long otherwise) {
        return args.isnoneornil(arg) ? otherwise : integer(function, args, arg);
    }

    /** luaL_checklstring. */
    static LuaString string(String function, Varargs args, int arg) {
        LuaValue v = args.arg(arg);
        if (v.type() == LuaValue.TSTRING) {
            return v.checkstring();
        }
        if (v.type() == LuaValue.TNUMBER) {
            return LuaValue.valueOf(LuaNumbers.format(v.todouble()));
        }
        throw typeError(function, args, arg, "string");
    }
}
