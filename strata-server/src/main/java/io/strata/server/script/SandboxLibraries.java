package io.strata.server.script;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * Builds the scripts' globals: luaj's base, table, string and math libraries with what reaches
 * outside removed, Lua 5.1's names for what luaj (Lua 5.2) renamed, Redis's replacements
 * (pcall, math.random, tostring), and the cjson, bit, cmsgpack, struct and redis libraries;
 * every table sealed.
 */
final class SandboxLibraries {
    private SandboxLibraries() {}

    /** What luaj provides and Redis's Lua does not, or what reaches outside the sandbox. */
    private static final List<String> REMOVED =
            List.of("package", "debug", "dofile", "loadfile", "print", "rawlen", "require", "module");

    /** The string library's metatable is one per JVM in luaj: every sandbox seals the same. */
    private static final Object STRING_METATABLE = new Object();

    static SealedTable build(LuaSandbox sandbox, ScriptHook hook, Rand48 rand, String redisVersion) {
        SealedTable g = new SealedTable();
        LuaTable pkg = new LuaTable();
        pkg.rawset("loaded", new LuaTable());
        g.rawset("package", pkg); // (luaj's libraries register themselves in package.loaded)
        g.load(new BaseLib());
        g.load(new TableLib());
        g.load(new StringLib());
        g.load(new JseMathLib());
        g.load(hook); // the instruction hook, found through g by every closure compiled into it
        for (String name : REMOVED) {
            g.rawset(name, LuaValue.NIL);
        }
        g.rawset("_VERSION", LuaValue.valueOf("Lua 5.1"));
        base(g);
        LuaTable table = g.rawget("table").checktable();
        g.rawset("unpack", table.rawget("unpack"));
        table.rawset("unpack", LuaValue.NIL);
        table.rawset("pack", LuaValue.NIL);
        table.rawset("concat", new TableConcat());
        table.rawset("getn", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return valueOf(args.checktable(1).length());
            }
        });
        table.rawset("maxn", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return valueOf(maxn(args.checktable(1)));
            }
        });
        LuaTable string = g.rawget("string").checktable();
        string.rawset("gfind", string.rawget("gmatch"));
        string.rawset("format", new StringFormat());
        math(g.rawget("math").checktable(), rand);
        g.rawset("cjson", CjsonLib.create());
        g.rawset("bit", BitLib.create());
        g.rawset("cmsgpack", CmsgpackLib.create());
        g.rawset("struct", StructLib.create());
        g.rawset("redis", RedisLib.create(sandbox, redisVersion));
        g.rawset("load", new Load(g));
        g.rawset("loadstring", g.rawget("load"));
        for (String lib : List.of("table", "string", "math", "cjson", "bit", "cmsgpack", "struct", "redis")) {
            g.rawset(lib, sealed(g.rawget(lib).checktable()));
        }
        synchronized (STRING_METATABLE) {
            SealedTable mt = new SealedTable();
            mt.rawset(LuaValue.INDEX, g.rawget("string"));
            LuaString.s_metatable = mt.seal();
        }
        SealedTable meta = new SealedTable();
        meta.rawset(LuaValue.INDEX, new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue t, LuaValue name) {
                throw new LuaError("Script attempted to access nonexistent global variable '" + name.tojstring() + "'");
            }
        });
        g.setmetatable(meta.seal());
        g.running.errorfunc = new LuaErrors.Handler();
        return g.seal();
    }

    /** Base functions Redis's Lua has as Lua 5.1 has them, or in its own deterministic form. */
    private static void base(SealedTable g) {
        LuaValue tostring = g.rawget("tostring");
        g.rawset("tostring", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaValue v = args.arg1();
                return v.type() == TNUMBER ? valueOf(LuaNumbers.format(v.todouble())) : tostring.invoke(args);
            }
        });
        LuaValue pcall = g.rawget("pcall");
        g.rawset("pcall", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                Varargs r = pcall.invoke(args);
                LuaValue error = r.arg(2);
                if (!r.arg1().toboolean() && error.istable() && error.get("err").type() == TSTRING) {
                    return varargsOf(FALSE, error.get("err")); // Redis's pcall: an error reply's text
                }
                return r;
            }
        });
        g.rawset("error", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaValue message = args.arg1();
                if (message.type() == TSTRING && args.optint(2, 1) == 1) {
                    throw new LuaError(message.tojstring()); // positioned where raised
                }
                throw new LuaErrors.Unpositioned(message);
            }
        });
        g.rawset("collectgarbage", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return valueOf(0); // (luaj's runs a full Java GC: no script may ask for that)
            }
        });
        g.rawset("gcinfo", g.rawget("collectgarbage"));
    }

    private static void math(LuaTable math, Rand48 rand) {
        math.rawset("mod", math.rawget("fmod"));
        math.rawset("log10", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return valueOf(Math.log10(args.checkdouble(1)));
            }
        });
        math.rawset("random", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                double r = rand.nextDouble();
                return switch (args.narg()) {
                    case 0 -> valueOf(r);
                    case 1 -> {
                        int m = args.checkint(1);
                        if (m < 1) {
                            argerror(1, "interval is empty");
                        }
                        yield valueOf(Math.floor(r * m) + 1);
                    }
                    case 2 -> {
                        int lo = args.checkint(1);
                        int hi = args.checkint(2);
                        if (lo > hi) {
                            argerror(2, "interval is empty");
                        }
                        yield valueOf(Math.floor(r * (hi - lo + 1)) + lo);
                    }
                    default -> throw new LuaError("wrong number of arguments");
                };
            }
        });
        math.rawset("randomseed", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                rand.seed((int) (long) args.checkdouble(1));
                return NONE;
            }
        });
    }

    private static double maxn(LuaTable t) {
        double max = 0;
        LuaValue k = LuaValue.NIL;
        while (!(k = t.next(k).arg1()).isnil()) {
            if (k.type() == LuaValue.TNUMBER) {
                max = Math.max(max, k.todouble());
            }
        }
        return max;
    }

    /** A sealed copy of a library table (which holds no tables but the redis library's constants). */
    private static SealedTable sealed(LuaTable lib) {
        SealedTable t = new SealedTable();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = lib.next(k);
            k = next.arg1();
            if (k.isnil()) {
                return t.seal();
            }
            t.rawset(k, next.arg(2));
        }
    }

    /**
     * Lua 5.1's loadstring and load: source text only (no binary chunk), compiled into the
     * scripts' globals, so that what it loads is sandboxed and bounded as the script is.
     */
    static final class Load extends VarArgFunction {
        private final SealedTable globals;

        Load(SealedTable globals) {
            this.globals = globals;
        }

        @Override
        public Varargs invoke(Varargs args) {
            byte[] text = text(args.arg1());
            if (text.length > 0 && text[0] == 0x1B) {
                return varargsOf(NIL, valueOf("attempt to load a binary chunk"));
            }
            try {
                String name = args.isnoneornil(2)
                        ? new String(text, java.nio.charset.StandardCharsets.UTF_8)
                        : args.checkjstring(2);
                Prototype p = LuaC.instance.compile(new ByteArrayInputStream(text), "=" + LuaErrors.chunkName(name));
                return new LuaClosure(p, globals);
            } catch (LuaError | IOException e) {
                return varargsOf(NIL, valueOf(LuaSandbox.message(e)));
            }
        }

        private static byte[] text(LuaValue chunk) {
            if (!chunk.isfunction()) {
                LuaString s = chunk.checkstring();
                return Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (LuaValue piece = chunk.call(); piece.isstring() && piece.length() > 0; piece = chunk.call()) {
                LuaString s = piece.checkstring();
                all.write(s.m_bytes, s.m_offset, s.m_length);
            }
            return all.toByteArray();
        }
    }
}
