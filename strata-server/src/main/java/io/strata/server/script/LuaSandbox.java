package io.strata.server.script;

import io.strata.server.resp.RespWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/**
 * The Lua state scripts run in (luaj), shaped like Redis 7's: its libraries (base, table,
 * string, math, cjson, bit, redis) with Lua 5.1's names where luaj has Lua 5.2's, and none of
 * what reaches outside (os, io, require, loadfile, dofile, print, debug, coroutines; code in
 * binary form cannot be loaded); globals and library tables read-only; a read of an unset
 * global an error; math.random Redis's deterministic generator. One state serves every script,
 * one at a time.
 *
 * <p>Thread-safe: {@link #run} holds {@link #lock} throughout, and only code running under it
 * (the script and the library functions it calls) touches the state and {@link #current}.
 * {@link #compile} touches no state.
 */
public final class LuaSandbox {
    /** The chunk name scripts are compiled under; Redis's error replies name it {@code @user_script}. */
    static final String CHUNK = "user_script";

    private final ReentrantLock lock = new ReentrantLock();
    /** The scripts' globals; guarded by {@link #lock}. */
    private final SealedTable globals;
    /** Guarded by {@link #lock}. */
    private final ScriptHook hook = new ScriptHook();
    /** Guarded by {@link #lock}. */
    private final Rand48 rand = new Rand48();
    /** The run in progress, read by the redis library's functions; guarded by {@link #lock}. */
    private Run current;

    /** What the redis library needs of the script being run. */
    static final class Run {
        final ScriptHost host;
        /** The RESP version redis.call's replies come in: 2 until redis.setresp(3). */
        int resp = 2;

        Run(ScriptHost host) {
            this.host = host;
        }
    }

    /** @param redisVersion the Redis version the server reports, for redis.REDIS_VERSION */
    public LuaSandbox(String redisVersion) {
        globals = SandboxLibraries.build(this, hook, rand, redisVersion);
    }

    /**
     * Compiles a script's body.
     *
     * @throws ScriptCompileError with Redis's text for a body that is not Lua
     */
    public static Prototype compile(byte[] body) {
        try {
            return LuaC.instance.compile(new ByteArrayInputStream(body), "@" + CHUNK);
        } catch (LuaError | IOException e) {
            throw new ScriptCompileError("ERR Error compiling script (new function): " + message(e));
        }
    }

    /** A luaj error's text as Lua 5.1 words it: {@code user_script:3: message}. */
    static String message(Exception e) {
        return e.getMessage() == null ? "unknown error" : LuaErrors.positioned(e.getMessage());
    }

    /** A script body that is not Lua; the message is the whole error reply. */
    public static final class ScriptCompileError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ScriptCompileError(String reply) {
            super(reply, null, false, false);
        }
    }

    /**
     * Runs a compiled script with its KEYS and ARGV and writes its result, or its error, as the
     * reply to {@code out}. Returns the errors it replied: its own, or those in its result (none
     * when it succeeded).
     *
     * @param state what other connections see of it (busy-reply-threshold, SCRIPT KILL)
     */
    public List<ScriptError> run(
            Prototype script,
            String sha,
            List<byte[]> keys,
            List<byte[]> args,
            ScriptHost host,
            RunningScript state,
            RespWriter out) {
        lock.lock();
        try {
            Run run = new Run(host);
            current = run;
            hook.begin(state);
            globals.put("KEYS", strings(keys));
            globals.put("ARGV", strings(args));
            LuaValue result;
            try {
                result = new LuaClosure(script, globals).call();
            } catch (LuaError e) {
                return failed(out, LuaErrors.reply(e, sha, hook.lastLine()), ScriptError.counted(e.getMessageObject()));
            } catch (ScriptKilled e) {
                return failed(out, "ERR " + e.getMessage() + " script: " + sha + ", on @" + CHUNK + ":" + e.line + ".");
            } catch (StackOverflowError e) {
                return failed(out, "ERR Error running script (call to f_" + sha + "): @" + CHUNK + ": stack overflow");
            }
            List<ScriptError> errors = new ArrayList<>();
            LuaToResp.write(result, out, run.resp, errors);
            return errors;
        } finally {
            current = null;
            hook.end();
            lock.unlock();
        }
    }

    private static List<ScriptError> failed(RespWriter out, String text) {
        return failed(out, text, false);
    }

    private static List<ScriptError> failed(RespWriter out, String text, boolean counted) {
        out.error(text);
        return List.of(new ScriptError(text, counted));
    }

    private static LuaTable strings(List<byte[]> values) {
        LuaTable t = new LuaTable(values.size(), 0);
        for (int i = 0; i < values.size(); i++) {
            t.rawset(i + 1, LuaString.valueUsing(values.get(i)));
        }
        return t;
    }

    /**
     * The stop of the running script, for its host to throw when the script must stop at a
     * command (SCRIPT KILL came before its first write). An Error: no pcall catches it.
     */
    public Error killed() {
        return hook.killed();
    }

    /** The run in progress (called only by the redis library's functions, under the lock). */
    Run current() {
        return current;
    }
}
