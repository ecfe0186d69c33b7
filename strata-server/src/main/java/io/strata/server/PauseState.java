package io.strata.server;

import java.util.Set;

/**
 * CLIENT PAUSE / UNPAUSE. While a pause lasts, the connections hold their commands (all of them
 * with ALL; with WRITE those that may change the keyspace or reach other clients: write
 * commands, PUBLISH, SPUBLISH, and EXEC of a transaction holding one, as Redis 7 defines it)
 * until it ends or is lifted. A held connection keeps its command parsed and is not read from
 * meanwhile ({@link ClientHandler}), so a pause costs no memory per request.
 *
 * <p>Threads: CLIENT PAUSE and UNPAUSE write under this object's lock; every connection reads
 * the pause through one volatile snapshot.
 */
final class PauseState {
    /** One pause: until when (epoch ms), and whether every command is held or only writes. */
    private record Pause(long untilMillis, boolean all) {}

    private static final Pause NONE = new Pause(0, false);

    /** Commands that are not writes yet are held by a WRITE pause: they reach other clients. */
    private static final Set<String> HELD_BY_WRITE = Set.of("publish", "spublish");

    /** Written under this object's lock (so that two pauses combine), read without it. */
    private volatile Pause pause = NONE;

    /**
     * Pauses until {@code untilMillis}; a pause already running is only ever extended and made
     * stricter, never shortened or relaxed (as Redis combines them).
     */
    synchronized void pause(long untilMillis, boolean all, long nowMillis) {
        Pause p = pause;
        boolean running = p.untilMillis() > nowMillis;
        pause = new Pause(Math.max(untilMillis, running ? p.untilMillis() : 0), all || (running && p.all()));
    }

    synchronized void unpause() {
        pause = NONE;
    }

    /** Whether a write pause holds this command (EXEC: if its transaction holds one). */
    static boolean pausedByWrite(CommandSpec spec) {
        return spec.write() || HELD_BY_WRITE.contains(spec.name());
    }

    /** Whether the client's next command must wait now ({@code spec} null: a command the server does not know). */
    boolean holds(Client c, CommandSpec spec, CommandTable commands, long nowMillis) {
        Pause p = pause;
        if (p.untilMillis() <= nowMillis) {
            return false;
        }
        if (p.all() || spec == null) {
            return p.all();
        }
        return pausedByWrite(spec)
                || (spec.name().equals("exec") && c.tx.queuedAny(commands, PauseState::pausedByWrite));
    }
}
