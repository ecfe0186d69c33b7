package io.strata.server;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.strata.server.script.LuaSandbox;
import io.strata.server.script.RunningScript;
import io.strata.server.script.ScriptCache;

/**
 * The server's scripting: the script cache, the Lua state, and the script running now, which
 * every connection checks before it runs a command: once that script has run longer than
 * busy-reply-threshold, commands without the allow_busy flag are answered BUSY (and writes
 * waiting for its stripe locks stop waiting with BUSY too), as in Redis.
 *
 * <p>Thread-safe: the cache, the threads and the sandbox are (the sandbox is built under this object's
 * monitor); {@link #running} is volatile, written by the
 * script's thread only while it holds every stripe lock (so one script at a time).
 */
final class Scripts {
    static final String BUSY = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

    private final ScriptCache cache = new ScriptCache();
    private final ScriptThreads threads = new ScriptThreads();
    private final ServerConfig config;
    /** Built on the first script (a server that runs none pays nothing for Lua); guarded by this. */
    @GuardedBy("this")
    private LuaSandbox sandbox;

    private volatile RunningScript running;

    Scripts(ServerConfig config) {
        this.config = config;
    }

    ScriptCache cache() {
        return cache;
    }

    ScriptThreads threads() {
        return threads;
    }

    synchronized LuaSandbox sandbox() {
        if (sandbox == null) {
            sandbox = new LuaSandbox(StrataServer.REDIS_VERSION);
        }
        return sandbox;
    }

    /** The script running now, or null. */
    RunningScript running() {
        return running;
    }

    /** Called with every stripe lock held, before the script starts and after it ends (null). */
    void running(RunningScript script) {
        running = script;
    }

    /** The server is stopping: the running script, if any, stops at its next check, and none of its writes is kept. */
    void abandonRunning() {
        RunningScript r = running;
        if (r != null) {
            r.abandon();
        }
    }

    /** Whether a script has run past busy-reply-threshold: other connections' commands are answered BUSY. */
    boolean busy() {
        RunningScript r = running;
        return r != null && r.elapsedMillis() >= config.busyReplyThresholdMillis();
    }

    /**
     * Keyspace's check while a command waits for a stripe lock: a script holding it past the
     * threshold ends the wait with BUSY (the locks the command took so far are released).
     */
    void checkWhileWaiting() {
        if (busy()) {
            throw new CommandError(BUSY);
        }
    }
}
