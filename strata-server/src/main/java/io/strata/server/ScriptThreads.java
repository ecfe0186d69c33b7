package io.strata.server;

import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a command that runs a script (EVAL and its kin, or an EXEC that queued one) runs
 * on, instead of its connection's command thread. A command thread serves many connections; a
 * script that runs for seconds on it would leave every other connection there unanswered,
 * SCRIPT KILL and SHUTDOWN NOSAVE included, while Redis answers them (BUSY, or the kill) as
 * soon as the script passes busy-reply-threshold. Off the command thread, the script blocks
 * only its own connection, which reads and runs nothing until the script's reply is in
 * ({@link ClientHandler}).
 *
 * <p>One thread per script command in flight, reused: scripts run one at a time anyway (each
 * holds every stripe lock), and one waiting for the locks must wait on its own thread so that
 * the wait can end with BUSY once the running script passes the threshold, as a write's wait
 * does.
 *
 * <p>Thread-safe.
 */
final class ScriptThreads {
    private static final Set<String> RUN_SCRIPTS = Set.of("eval", "evalsha", "eval_ro", "evalsha_ro");

    private final ExecutorService threads = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "strata-script-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    /**
     * Whether {@code argv}, the next command of {@code c}, runs on a script thread: a script
     * command outside a transaction, or an EXEC of a transaction that queued one.
     */
    static boolean takes(Client c, byte[][] argv, CommandTable commands) {
        CommandSpec spec = commands.of(argv);
        if (spec == null) {
            return false;
        }
        if (c.tx.open()) {
            return spec.name().equals("exec") && c.tx.queuedAny(commands, s -> RUN_SCRIPTS.contains(s.name()));
        }
        return RUN_SCRIPTS.contains(spec.name());
    }

    void execute(Runnable command) {
        threads.execute(command);
    }

    /**
     * Once the server has stopped its connections: waits up to {@code seconds} for the scripts
     * left (abandoned, they stop at their next check), then interrupts them.
     */
    void stop(long seconds) {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(seconds, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
