package io.strata.server.script;

import java.util.Arrays;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * luaj's instruction hook, bounding scripts: every {@link #EVERY} instructions it checks
 * whether SCRIPT KILL asked the running script to stop, and stops it ({@link ScriptKilled}).
 * It keeps only what the stop's reply needs, the line being run: the compiled function of each
 * frame (null for a Java function's) and the last instruction. Scripts never see it (the
 * sandbox removes the debug library it installs).
 *
 * <p>Guarded by the sandbox's lock, as the script it checks.
 */
final class ScriptHook extends DebugLib {
    /** Instructions between checks: a check costs a volatile read; 1024 keep it well under 1% of a loop. */
    static final int EVERY = 1024;

    private RunningScript script;
    private int countdown = EVERY;
    private Prototype[] frames = new Prototype[32];
    private int depth;
    /** The function and instruction run last: where an error was raised, or a kill stops. */
    private Prototype lastFunction;

    private int lastPc;

    void begin(RunningScript s) {
        script = s;
        countdown = EVERY;
        depth = 0;
        lastFunction = null;
    }

    void end() {
        script = null;
        Arrays.fill(frames, 0, depth, null);
        depth = 0;
    }

    /** The stop of the running script, at the line it is running. */
    ScriptKilled killed() {
        return new ScriptKilled(lastLine());
    }

    /** The script's line run last, or "?" before any. */
    String lastLine() {
        Prototype p = lastFunction;
        return p != null && p.lineinfo != null && lastPc >= 0 && lastPc < p.lineinfo.length
                ? Integer.toString(p.lineinfo[lastPc])
                : "?";
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        lastFunction = frames[depth - 1];
        lastPc = pc;
        if (--countdown <= 0) {
            countdown = EVERY;
            if (script != null && script.killRequested()) {
                throw killed();
            }
        }
    }

    @Override
    public void onCall(LuaFunction f) {
        push(null);
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        push(c.p);
    }

    private void push(Prototype p) {
        if (depth == frames.length) {
            frames = Arrays.copyOf(frames, depth * 2);
        }
        frames[depth++] = p;
    }

    @Override
    public void onReturn() {
        if (depth > 0) {
            frames[--depth] = null;
        }
    }

    @Override
    public String traceback(int level) {
        return "";
    }
}
