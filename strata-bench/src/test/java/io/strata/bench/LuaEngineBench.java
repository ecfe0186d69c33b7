package io.strata.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JsePlatform;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51;

/**
 * The measurement that chose the server's Lua engine (docs/SCRIPTING.md): luaj 3.0.1 (pure
 * Java, Lua 5.2) against luajava 4.0.2 (Lua 5.1 in C over JNI), each running the same scripts
 * with a stand-in {@code redis.call} (a Java function answering from constants, so the engine's
 * own cost is measured, not the store's): redis-py's Lock release script, a token-bucket rate
 * limiter, the compilation of the limiter, and a CPU-bound loop, with and without the
 * instruction-count check that bounds a script (busy-reply-threshold, SCRIPT KILL). Prints the
 * median of {@link #RUNS} runs of each, in microseconds per script.
 *
 * <p>Run: {@code mvn -B -ntp -q -pl strata-bench -am test-compile} then {@code java -cp
 * strata-bench/target/test-classes:$(cat cp.txt) io.strata.bench.LuaEngineBench}, with cp.txt
 * from {@code mvn -pl strata-bench dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
public final class LuaEngineBench {
    private LuaEngineBench() {}

    static final int RUNS = 7;

    static final String LOCK_RELEASE = "local token = redis.call('get', KEYS[1])\n"
            + "if token == ARGV[1] then return redis.call('del', KEYS[1]) end\nreturn 0\n";

    static final String TOKEN_BUCKET = "local rate = tonumber(ARGV[1])\nlocal capacity = tonumber(ARGV[2])\n"
            + "local now = tonumber(ARGV[3])\n"
            + "local tokens = tonumber(redis.call('get', KEYS[1])) or capacity\n"
            + "local last = tonumber(redis.call('get', KEYS[2])) or now\n"
            + "local filled = math.min(capacity, tokens + math.max(0, now - last) * rate)\n"
            + "local allowed = filled >= 1\nif allowed then filled = filled - 1 end\n"
            + "redis.call('set', KEYS[1], filled)\nredis.call('set', KEYS[2], now)\n"
            + "return allowed and 1 or 0\n";

    static final String CPU_LOOP = "local s = 0\nfor i = 1, 1000000 do s = s + i % 7 end\nreturn s\n";

    /** One engine's way of running the scripts. */
    interface Engine extends AutoCloseable {
        /** Compiles a script into a function kept by the engine; returns its handle. */
        Object compile(String body);

        /** Runs a compiled script with KEYS and ARGV; returns its result as a string. */
        String run(Object compiled, String[] keys, String[] argv);

        @Override
        void close();
    }

    /** luaj: the stand-in redis.call is a VarArgFunction; the check is a DebugLib counting instructions. */
    static final class Luaj implements Engine {
        private final Globals g = JsePlatform.standardGlobals();
        long instructions;

        Luaj(boolean counted) {
            LuaTable redis = new LuaTable();
            redis.set("call", new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs args) {
                    return LuaValue.valueOf(answer(args.checkjstring(1)));
                }
            });
            g.set("redis", redis);
            if (counted) {
                g.load(new DebugLib() {
                    @Override
                    public void onInstruction(int pc, Varargs v, int top) {
                        if ((++instructions & 0x3FF) == 0
                                && Thread.currentThread().isInterrupted()) {
                            throw new IllegalStateException("killed");
                        }
                    }
                });
            }
        }

        @Override
        public Object compile(String body) {
            return g.load(body, "@user_script");
        }

        @Override
        public String run(Object compiled, String[] keys, String[] argv) {
            g.set("KEYS", table(keys));
            g.set("ARGV", table(argv));
            return ((LuaValue) compiled).call().tojstring();
        }

        private static LuaTable table(String[] values) {
            LuaTable t = new LuaTable(values.length, 0);
            for (int i = 0; i < values.length; i++) {
                t.set(i + 1, LuaValue.valueOf(values[i]));
            }
            return t;
        }

        @Override
        public void close() {}
    }

    /** luajava: the stand-in redis.call is a JFunction; the check is a count hook set with debug.sethook. */
    static final class Luajava implements Engine {
        private final Lua lua = new Lua51();

        Luajava(boolean counted) {
            lua.openLibraries();
            lua.newTable();
            lua.push(l -> {
                l.push(answer(l.toString(1)));
                return 1;
            });
            lua.setField(-2, "call");
            lua.setGlobal("redis");
            if (counted) {
                lua.push(l -> {
                    if (Thread.currentThread().isInterrupted()) {
                        l.error("killed");
                    }
                    return 0;
                });
                lua.setGlobal("__check");
                lua.run("debug.sethook(__check, '', 1024)");
            }
        }

        @Override
        public Object compile(String body) {
            lua.load(body);
            return lua.ref();
        }

        @Override
        public String run(Object compiled, String[] keys, String[] argv) {
            table(keys);
            lua.setGlobal("KEYS");
            table(argv);
            lua.setGlobal("ARGV");
            lua.refGet((Integer) compiled);
            lua.pCall(0, 1);
            String result = lua.toString(-1);
            lua.pop(1);
            return result;
        }

        private void table(String[] values) {
            lua.createTable(values.length, 0);
            for (int i = 0; i < values.length; i++) {
                lua.push(values[i]);
                lua.rawSetI(-2, i + 1);
            }
        }

        @Override
        public void close() {
            lua.close();
        }
    }

    /** The stand-in store: GET finds the lock's token and a bucket's numbers, DEL deletes one key, SET is OK. */
    static String answer(String command) {
        return switch (command) {
            case "get" -> "42";
            case "del" -> "1";
            default -> "OK";
        };
    }

    /** Microseconds per call of {@code op}, the median of {@link #RUNS} timed runs of {@code n} calls each. */
    static double median(int n, Runnable op) {
        for (int i = 0; i < n; i++) {
            op.run(); // warm-up
        }
        double[] us = new double[RUNS];
        for (int r = 0; r < RUNS; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                op.run();
            }
            us[r] = (System.nanoTime() - t0) / 1000.0 / n;
        }
        Arrays.sort(us);
        return us[RUNS / 2];
    }

    public static void main(String[] args) {
        List<String> rows = new ArrayList<>();
        rows.add("| engine | lock release | token bucket | compile limiter | CPU loop (1e6 iterations) |");
        rows.add("|---|---|---|---|---|");
        for (String name : List.of("luaj", "luaj+count", "luajava", "luajava+count")) {
            boolean counted = name.endsWith("+count");
            try (Engine e = name.startsWith("luajava") ? new Luajava(counted) : new Luaj(counted)) {
                Object lock = e.compile(LOCK_RELEASE);
                Object bucket = e.compile(TOKEN_BUCKET);
                Object loop = e.compile(CPU_LOOP);
                String[] one = {"lock:a"};
                String[] two = {"bucket:a", "bucket:a:ts"};
                check(e.run(lock, one, new String[] {"42"}), "1");
                check(e.run(bucket, two, new String[] {"1", "100", "50"}), "1");
                check(e.run(loop, new String[0], new String[0]), "2999998");
                double l = median(200_000, () -> e.run(lock, one, new String[] {"42"}));
                double b = median(100_000, () -> e.run(bucket, two, new String[] {"1", "100", "50"}));
                double c = median(5_000, () -> compileOnly(e));
                double p = median(10, () -> e.run(loop, new String[0], new String[0]));
                rows.add(String.format(
                        Locale.ROOT, "| %s | %.2f µs | %.2f µs | %.1f µs | %.1f ms |", name, l, b, c, p / 1000));
            }
        }
        rows.forEach(System.out::println);
    }

    private static void compileOnly(Engine e) {
        Object f = e.compile(TOKEN_BUCKET);
        if (f instanceof Integer ref) {
            ((Luajava) e).lua.unref(ref);
        }
    }

    private static void check(String got, String want) {
        if (!got.equals(want)) {
            throw new AssertionError("expected " + want + ", got " + got);
        }
    }
}
