package io.strata.server.script;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A command's reply, as the server encoded it, turned into the Lua value redis.call returns,
 * by Redis's rules: an integer is a number, a bulk string a string, a null (RESP2) false, an
 * array a table, a status {@code {ok=...}}, an error {@code {err=...}}; and after
 * redis.setresp(3) a map {@code {map=...}}, a set {@code {set={member=true}}}, a null nil, a
 * boolean a boolean, a double {@code {double=...}}, a big number {@code {big_number=...}} and a
 * verbatim string {@code {verbatim_string={format=..., string=...}}}.
 *
 * <p>The reply is one the server itself wrote (well formed): a malformed one is a bug, failing
 * with an IllegalStateException.
 */
final class RespToLua {
    private final byte[] b;
    private int pos;

    private RespToLua(byte[] reply) {
        this.b = reply;
    }

    static LuaValue convert(byte[] reply) {
        RespToLua p = new RespToLua(reply);
        LuaValue v = p.value();
        if (p.pos != reply.length) {
            throw new IllegalStateException("a reply with " + (reply.length - p.pos) + " bytes after its end");
        }
        return v;
    }

    /** A table with one field, as Redis builds for statuses, errors and RESP3's types. */
    static LuaTable tagged(String field, LuaValue value) {
        LuaTable t = new LuaTable();
        t.rawset(field, value);
        return t;
    }

    private LuaValue value() {
        byte type = b[pos++];
        String line = line();
        return switch (type) {
            case '+' -> tagged("ok", LuaValue.valueOf(line));
            case '-' -> tagged("err", LuaValue.valueOf(line));
            case ':' -> LuaValue.valueOf((double) Long.parseLong(line));
            case '$' -> bulk(Integer.parseInt(line));
            case '*' -> array(Integer.parseInt(line));
            case '_' -> LuaValue.NIL;
            case '#' -> LuaValue.valueOf(line.equals("t"));
            case ',' -> tagged("double", LuaValue.valueOf(Double.parseDouble(line)));
            case '(' -> tagged("big_number", LuaValue.valueOf(line));
            case '%' -> tagged("map", map(Integer.parseInt(line)));
            case '~' -> tagged("set", set(Integer.parseInt(line)));
            case '=' -> verbatim(Integer.parseInt(line));
            default -> throw new IllegalStateException("a reply of type " + (char) type);
        };
    }

    private String line() {
        int start = pos;
        while (b[pos] != '\r') {
            pos++;
        }
        String s = new String(b, start, pos - start, StandardCharsets.UTF_8);
        pos += 2;
        return s;
    }

    private LuaValue bulk(int n) {
        if (n < 0) {
            return LuaValue.FALSE;
        }
        LuaString s = LuaString.valueUsing(Arrays.copyOfRange(b, pos, pos + n));
        pos += n + 2;
        return s;
    }

    private LuaValue array(int n) {
        if (n < 0) {
            return LuaValue.FALSE;
        }
        LuaTable t = new LuaTable(n, 0);
        for (int i = 1; i <= n; i++) {
            t.rawset(i, value());
        }
        return t;
    }

    private LuaTable map(int n) {
        LuaTable t = new LuaTable(0, n);
        for (int i = 0; i < n; i++) {
            LuaValue key = value();
            t.rawset(key, value());
        }
        return t;
    }

    private LuaTable set(int n) {
        LuaTable t = new LuaTable(0, n);
        for (int i = 0; i < n; i++) {
            t.rawset(value(), LuaValue.TRUE);
        }
        return t;
    }

    private LuaValue verbatim(int n) {
        String format = new String(b, pos, 3, StandardCharsets.US_ASCII);
        LuaString text = LuaString.valueUsing(Arrays.copyOfRange(b, pos + 4, pos + n));
        pos += n + 2;
        LuaTable t = new LuaTable();
        t.rawset("format", LuaValue.valueOf(format));
        t.rawset("string", text);
        return tagged("verbatim_string", t);
    }
}
