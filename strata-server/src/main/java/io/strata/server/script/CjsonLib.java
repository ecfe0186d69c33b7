package io.strata.server.script;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;

/**
 * Lua CJSON's {@code cjson.encode}, {@code cjson.decode} and {@code cjson.null}, which Redis
 * loads, with its defaults: a table whose keys are 1..n (holes allowed up to its sparse-array
 * limits) is an array, an empty table {@code {}}, any other an object with string or number
 * keys; numbers with 14 significant digits; {@code /} escaped. Decoding turns JSON null into
 * {@code cjson.null} and numbers into Lua numbers. Its configuration functions are
 * {@link CjsonSettings}'s.
 */
final class CjsonLib {
    private final CjsonSettings settings = new CjsonSettings();

    private CjsonLib() {}

    private static final JsonFactory JSON = new JsonFactory();

    /** JSON null: a light userdata in Redis, a unique userdata here. */
    static final LuaValue NULL = new LuaUserdata(new Object());

    static LuaTable create() {
        CjsonLib lib = new CjsonLib();
        LuaTable cjson = new LuaTable();
        cjson.rawset("null", NULL);
        cjson.rawset("_NAME", LuaValue.valueOf("cjson"));
        cjson.rawset("_VERSION", LuaValue.valueOf("2.1.0"));
        cjson.rawset("encode", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                lib.encode(v, out, 0);
                return LuaString.valueUsing(out.toByteArray());
            }
        });
        cjson.rawset("decode", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                return lib.decode(v.checkstring());
            }
        });
        lib.settings.register(cjson);
        return cjson;
    }

    void encode(LuaValue v, ByteArrayOutputStream out, int depth) {
        switch (v.type()) {
            case LuaValue.TNIL -> ascii(out, "null");
            case LuaValue.TBOOLEAN -> ascii(out, v.toboolean() ? "true" : "false");
            case LuaValue.TNUMBER -> number(v.todouble(), out);
            case LuaValue.TSTRING -> string(v.checkstring(), out);
            case LuaValue.TTABLE -> table((LuaTable) v, out, depth + 1);
            default -> {
                if (v.raweq(NULL)) {
                    ascii(out, "null");
                } else {
                    throw new LuaError("Cannot serialise " + v.typename() + ": type not supported");
                }
            }
        }
    }

    private void number(double d, ByteArrayOutputStream out) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            switch (settings.encodeInvalidNumbers) {
                case 0 -> throw new LuaError("Cannot serialise number: must not be NaN or Inf");
                case 1 -> ascii(out, Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf");
                default -> ascii(out, "null");
            }
            return;
        }
        ascii(out, LuaNumbers.format(d));
    }

    private static void string(LuaString s, ByteArrayOutputStream out) {
        out.write('"');
        for (int i = 0; i < s.m_length; i++) {
            int c = s.m_bytes[s.m_offset + i] & 0xFF;
            switch (c) {
                case '"' -> ascii(out, "\\\"");
                case '\\' -> ascii(out, "\\\\");
                case '/' -> ascii(out, "\\/");
                case '\b' -> ascii(out, "\\b");
                case '\f' -> ascii(out, "\\f");
                case '\n' -> ascii(out, "\\n");
                case '\r' -> ascii(out, "\\r");
                case '\t' -> ascii(out, "\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        ascii(out, String.format("\\u%04x", c));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    private void table(LuaTable t, ByteArrayOutputStream out, int depth) {
        if (depth > settings.encodeMaxDepth) {
            throw new LuaError("Cannot serialise, excessive nesting (" + depth + ")");
        }
        int arrayLength = arrayLength(t);
        if (arrayLength > 0) {
            out.write('[');
            for (int i = 1; i <= arrayLength; i++) {
                if (i > 1) {
                    out.write(',');
                }
                encode(t.rawget(i), out, depth);
            }
            out.write(']');
            return;
        }
        out.write('{');
        boolean first = true;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = t.next(k);
            k = next.arg1();
            if (k.isnil()) {
                break;
            }
            if (k.type() != LuaValue.TSTRING && k.type() != LuaValue.TNUMBER) {
                throw new LuaError("Cannot serialise table: table key must be a number or string");
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            string(
                    k.type() == LuaValue.TSTRING ? k.checkstring() : LuaValue.valueOf(LuaNumbers.format(k.todouble())),
                    out);
            out.write(':');
            encode(next.arg(2), out, depth);
        }
        out.write('}');
    }

    /**
     * cjson's array test: the largest key if every key is a positive integer, 0 if not (or the
     * table is empty: an object). A sparse array (largest key over twice the count and over 10)
     * is refused, as cjson's default encode_sparse_array.
     */
    private static int arrayLength(LuaTable t) {
        int max = 0;
        int count = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            k = t.next(k).arg1();
            if (k.isnil()) {
                break;
            }
            double d = k.type() == LuaValue.TNUMBER ? k.todouble() : 0;
            if (d < 1 || d != Math.floor(d) || d > Integer.MAX_VALUE) {
                return 0;
            }
            max = Math.max(max, (int) d);
            count++;
        }
        if (max > 10 && max > 2 * count) {
            throw new LuaError("Cannot serialise table: excessively sparse array");
        }
        return max;
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    LuaValue decode(LuaString json) {
        try (JsonParser p = JSON.createParser(json.m_bytes, json.m_offset, json.m_length)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new LuaError("Expected value but found T_END at character 1");
            }
            LuaValue v = value(p, first, 1);
            if (p.nextToken() != null) {
                throw new LuaError(
                        "Expected the end but found invalid token at character " + character(p.currentTokenLocation()));
            }
            return v;
        } catch (JsonParseException e) {
            throw new LuaError("Expected value but found invalid token at character " + character(e.getLocation()));
        } catch (IOException e) {
            throw new LuaError("cannot decode JSON: " + e.getMessage());
        }
    }

    /** cjson's position of a token: its first byte, counted from 1. */
    private static long character(com.fasterxml.jackson.core.JsonLocation at) {
        if (at == null) {
            return 1;
        }
        return (at.getCharOffset() >= 0 ? at.getCharOffset() : Math.max(0, at.getByteOffset())) + 1;
    }

    private LuaValue value(JsonParser p, JsonToken t, int depth) throws IOException {
        if (depth > settings.decodeMaxDepth) {
            throw new LuaError("Found too many nested data structures (" + depth + ") at character "
                    + character(p.currentTokenLocation()));
        }
        switch (t) {
            case START_ARRAY -> {
                LuaTable a = new LuaTable();
                int i = 1;
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    a.rawset(i++, value(p, e, depth + 1));
                }
                return a;
            }
            case START_OBJECT -> {
                LuaTable o = new LuaTable();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_OBJECT; e = p.nextToken()) {
                    LuaValue key = LuaValue.valueOf(p.currentName());
                    o.rawset(key, value(p, p.nextToken(), depth + 1));
                }
                return o;
            }
            case VALUE_STRING -> {
                return LuaValue.valueOf(p.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return LuaValue.valueOf(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return LuaValue.TRUE;
            }
            case VALUE_FALSE -> {
                return LuaValue.FALSE;
            }
            case VALUE_NULL -> {
                return NULL;
            }
            default ->
                throw new LuaError(
                        "Expected value but found invalid token at character " + character(p.currentTokenLocation()));
        }
    }
}
