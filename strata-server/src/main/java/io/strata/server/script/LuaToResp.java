package io.strata.server.script;

import io.strata.server.resp.RespWriter;
import java.util.List;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A script's result as the reply Redis 7 makes of it: a string is a bulk string, a number an
 * integer (truncated), true 1 and false or nil a null (after redis.setresp(3): RESP3 booleans),
 * a table with a string {@code err} an error, with {@code ok} a status, with {@code double},
 * {@code big_number}, {@code map}, {@code set} or {@code verbatim_string} that RESP3 type (as a
 * RESP2 client reads it when the client speaks RESP2), and any other table an array of its
 * elements from 1 up to the first nil. Anything else (a function, userdata) is a null.
 */
final class LuaToResp {
    private LuaToResp() {}

    /** Nesting past this is refused, as Redis refuses what its Lua stack cannot hold (a table holding itself). */
    static final int MAX_DEPTH = 1000;

    /**
     * @param scriptResp the RESP version the script chose with redis.setresp (2 by default)
     * @param errors where each error written (the result's, or one nested in it) is added
     */
    static void write(LuaValue v, RespWriter out, int scriptResp, List<ScriptError> errors) {
        write(v, out, scriptResp, 0, errors);
    }

    private static void write(LuaValue v, RespWriter out, int scriptResp, int depth, List<ScriptError> errors) {
        switch (v.type()) {
            case LuaValue.TSTRING -> bulk((LuaString) v.checkstring(), out);
            case LuaValue.TNUMBER -> out.integer(LuaNumbers.toInteger(v.todouble()));
            case LuaValue.TBOOLEAN -> {
                if (scriptResp == 3) {
                    out.bool(v.toboolean());
                } else if (v.toboolean()) {
                    out.integer(1);
                } else {
                    out.nullBulk();
                }
            }
            case LuaValue.TTABLE -> table((LuaTable) v, out, scriptResp, depth, errors);
            default -> out.nullBulk();
        }
    }

    static void bulk(LuaString s, RespWriter out) {
        out.bulk(s.m_bytes, s.m_offset, s.m_length);
    }

    private static void table(LuaTable t, RespWriter out, int scriptResp, int depth, List<ScriptError> errors) {
        if (depth >= MAX_DEPTH) {
            errors.add(new ScriptError("ERR reached lua stack limit", false));
            out.error("ERR reached lua stack limit");
            return;
        }
        LuaValue err = t.rawget("err");
        if (err.type() == LuaValue.TSTRING) {
            errors.add(new ScriptError(err.tojstring(), ScriptError.counted(t)));
            out.error(err.tojstring());
            return;
        }
        LuaValue ok = t.rawget("ok");
        if (ok.type() == LuaValue.TSTRING) {
            out.simple(ok.tojstring());
            return;
        }
        LuaValue dbl = t.rawget("double");
        if (dbl.type() == LuaValue.TNUMBER) {
            out.doubleText(LuaNumbers.format(dbl.todouble(), 17));
            return;
        }
        LuaValue big = t.rawget("big_number");
        if (big.type() == LuaValue.TSTRING) {
            out.bigNumber(big.tojstring());
            return;
        }
        LuaValue map = t.rawget("map");
        if (map.type() == LuaValue.TTABLE) {
            LuaTable m = (LuaTable) map;
            out.map(count(m));
            forEach(m, (key, value) -> {
                write(key, out, scriptResp, depth + 1, errors);
                write(value, out, scriptResp, depth + 1, errors);
            });
            return;
        }
        LuaValue set = t.rawget("set");
        if (set.type() == LuaValue.TTABLE) {
            LuaTable s = (LuaTable) set;
            out.set(count(s));
            forEach(s, (key, value) -> write(key, out, scriptResp, depth + 1, errors));
            return;
        }
        LuaValue verbatim = t.rawget("verbatim_string");
        if (verbatim.type() == LuaValue.TTABLE && verbatim.get("string").type() == LuaValue.TSTRING) {
            out.verbatim(verbatim.get("string").tojstring());
            return;
        }
        int n = 0;
        while (!t.rawget(n + 1).isnil()) {
            n++;
        }
        out.array(n);
        for (int i = 1; i <= n; i++) {
            write(t.rawget(i), out, scriptResp, depth + 1, errors);
        }
    }

    private interface Entry {
        void accept(LuaValue key, LuaValue value);
    }

    private static int count(LuaTable t) {
        int[] n = {0};
        forEach(t, (k, v) -> n[0]++);
        return n[0];
    }

    private static void forEach(LuaTable t, Entry e) {
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = t.next(k);
            k = next.arg1();
            if (k.isnil()) {
                return;
            }
            e.accept(k, next.arg(2));
        }
    }
}
