package io.strata.server;

import io.strata.server.store.Watches;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One connection's transaction state: whether MULTI has opened a transaction, the commands
 * queued since, whether one was refused while queuing (then EXEC aborts), and the keys the
 * connection WATCHes.
 *
 * <p>Bounded: the queued commands' arguments take at most the configured query-buffer limit
 * (what one request may take); past it the transaction is refused and queues nothing more.
 *
 * <p>Confined to the thread running the connection's commands (see {@link ClientHandler}).
 */
final class Transaction {
    /** The commands that run at once inside a transaction rather than being queued, as in Redis. */
    static final Set<String> RUN_AT_ONCE = Set.of("exec", "discard", "multi", "watch", "quit", "reset");

    private boolean open;
    private boolean refused;
    private final List<byte[][]> queued = new ArrayList<>();
    private long queuedBytes;
    /** CLIENT LIST's multi=: -1 outside a transaction, else the commands queued; written here, read by any thread. */
    private volatile int shownCount = -1;

    /** This connection's watched keys, once it has watched any; registered in the keyspace's {@link Watches}. */
    Watches.Watcher watcher;
    /** On a cluster node: the leadership term in which {@link #watcher} began watching. */
    long watchTerm;

    boolean open() {
        return open;
    }

    void begin() {
        open = true;
        shownCount = 0;
    }

    /** CLIENT LIST's multi= field; any thread. */
    int shownCount() {
        return shownCount;
    }

    /**
     * Whether EXEC would run a command {@code which} picks: a write (CLIENT PAUSE WRITE holds such
     * an EXEC), a script (such an EXEC runs on a script thread).
     */
    boolean queuedAny(CommandTable commands, Predicate<CommandSpec> which) {
        for (byte[][] argv : queued) {
            CommandSpec spec = commands.of(argv);
            if (spec != null && which.test(spec)) {
                return true;
            }
        }
        return false;
    }

    /** A command was refused while queuing (unknown, wrong arity, not allowed): EXEC will abort. */
    void refuse() {
        if (open) {
            refused = true;
            queued.clear(); // never run: the EXEC aborts
            queuedBytes = 0;
            shownCount = 0;
        }
    }

    boolean refused() {
        return refused;
    }

    /** Queues a command; false, refusing the transaction, if its queue would pass {@code maxBytes}. */
    boolean queue(byte[][] argv, long maxBytes) {
        long size = 0;
        for (byte[] a : argv) {
            size += a.length + 16;
        }
        if (queuedBytes + size > maxBytes) {
            refuse();
            return false;
        }
        if (!refused) {
            queued.add(argv);
            queuedBytes += size;
            shownCount = queued.size();
        }
        return true;
    }

    /** The queued commands, in order. */
    List<byte[][]> queued() {
        return List.copyOf(queued);
    }

    /** Forgets the watched keys (UNWATCH, EXEC, DISCARD, RESET, disconnection). */
    void unwatch(Watches registry) {
        if (watcher != null) {
            registry.release(watcher);
        }
    }

    /** Ends the transaction (EXEC, DISCARD, RESET): nothing is queued any more. */
    void end() {
        open = false;
        refused = false;
        queued.clear();
        queuedBytes = 0;
        shownCount = -1;
    }
}
