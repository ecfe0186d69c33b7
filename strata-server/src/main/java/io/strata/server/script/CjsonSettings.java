package io.strata.server.script;

import java.util.List;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua CJSON's configuration, as Redis's cjson has it: encode_max_depth, decode_max_depth,
 * encode_invalid_numbers and encode_keep_buffer (kept, and of no effect here: there is no shared
 * buffer). A setting lasts, as in Redis, for every later script of the Lua state, until set
 * again. Each function sets its setting if given an argument and returns the setting.
 *
 * <p>Guarded by the sandbox's lock ({@link LuaSandbox}): only scripts, one at a time, touch it.
 */
final class CjsonSettings {
    /** cjson's default nesting limit, both ways. */
    static final int DEFAULT_DEPTH = 1000;

    int encodeMaxDepth = DEFAULT_DEPTH;
    int decodeMaxDepth = DEFAULT_DEPTH;
    /** 0: NaN and infinities refused; 1: written as nan, inf; 2: written as null. */
    int encodeInvalidNumbers;

    private int keepBuffer = 1;

    void register(LuaTable cjson) {
        cjson.rawset("encode_max_depth", depth("encode_max_depth", true));
        cjson.rawset("decode_max_depth", depth("decode_max_depth", false));
        cjson.rawset("encode_invalid_numbers", option("encode_invalid_numbers", List.of("off", "on", "null"), true));
        cjson.rawset("encode_keep_buffer", option("encode_keep_buffer", List.of("off", "on"), false));
    }

    private VarArgFunction depth(String function, boolean encode) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (!args.isnoneornil(1)) {
                    if (!args.arg1().isnumber()) {
                        throw new LuaError("bad argument #1 to '" + function + "' (number expected, got "
                                + args.arg1().typename() + ")");
                    }
                    double d = args.arg1().todouble();
                    if (d < 1 || d > Integer.MAX_VALUE) {
                        throw new LuaError(
                                "bad argument #1 to '" + function + "' (expected integer between 1 and 2147483647)");
                    }
                    if (encode) {
                        encodeMaxDepth = (int) d;
                    } else {
                        decodeMaxDepth = (int) d;
                    }
                }
                return LuaValue.valueOf(encode ? encodeMaxDepth : decodeMaxDepth);
            }
        };
    }

    /** cjson's config_enum: a boolean (off, on) or one of the option names; returns a boolean for off and on. */
    private VarArgFunction option(String function, List<String> options, boolean invalidNumbers) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaValue v = args.arg1();
                if (!args.isnoneornil(1)) {
                    int chosen = v.isboolean() ? (v.toboolean() ? 1 : 0) : options.indexOf(v.tojstring());
                    if (chosen < 0 || (!v.isboolean() && !v.isstring())) {
                        throw new LuaError(
                                "bad argument #1 to '" + function + "' (invalid option '" + v.tojstring() + "')");
                    }
                    if (invalidNumbers) {
                        encodeInvalidNumbers = chosen;
                    } else {
                        keepBuffer = chosen;
                    }
                }
                int setting = invalidNumbers ? encodeInvalidNumbers : keepBuffer;
                return setting < 2 ? LuaValue.valueOf(setting == 1) : LuaValue.valueOf(options.get(setting));
            }
        };
    }
}
