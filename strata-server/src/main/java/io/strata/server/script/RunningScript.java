package io.strata.server.script;

/**
 * The script a server is running now, as other connections see it: since when (for
 * busy-reply-threshold), whether it has written (then SCRIPT KILL cannot stop it: its writes
 * are kept, as in Redis, so stopping it would leave half of it applied), and whether SCRIPT KILL
 * asked it to stop, which its instruction hook checks.
 *
 * <p>Thread-safe: written by the script's thread (wrote) and by SCRIPT KILL's (killRequested),
 * each field volatile; {@link #kill} decides under this object's monitor so that a script that
 * writes just as it is killed is either stopped before the write or refused as unkillable.
 */
public final class RunningScript {
    private final long startNanos = System.nanoTime();
    private final String sha;

    private volatile boolean wrote;
    private volatile boolean killRequested;
    private volatile boolean abandoned;

    public RunningScript(String sha) {
        this.sha = sha;
    }

    public String sha() {
        return sha;
    }

    /** Milliseconds since the script began. */
    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * Called before each command of the script that writes: from now on it cannot be killed.
     * Returns false, and the script must stop, if SCRIPT KILL came first.
     */
    public synchronized boolean writing() {
        if (killRequested) {
            return false;
        }
        wrote = true;
        return true;
    }

    /** SCRIPT KILL: false if the script has written (UNKILLABLE), else it stops at its next check. */
    public synchronized boolean kill() {
        if (wrote) {
            return false;
        }
        killRequested = true;
        return true;
    }

    /**
     * The server is stopping: the script stops at its next check even if it has written, and
     * its writes are dropped (they are still only in its view: dropping them keeps it atomic).
     */
    public synchronized void abandon() {
        abandoned = true;
        killRequested = true;
    }

    /** Whether the server abandoned the script: its writes must not be stored. */
    public boolean abandoned() {
        return abandoned;
    }

    /** Whether SCRIPT KILL asked the script to stop; its hook checks. */
    boolean killRequested() {
        return killRequested;
    }
}
