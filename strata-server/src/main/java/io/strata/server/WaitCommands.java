package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;

/**
 * WAIT and WAITAOF on a single node: Strata has no replicas, so neither ever blocks (Redis
 * would wait out the timeout for replicas that cannot come) and both count 0 replicas. Strata's
 * write-ahead log is its append-only file: with --sync every write is fsynced before it is
 * acknowledged, so WAITAOF counts the local fsync (1) at once; without --sync the log is
 * written but not fsynced per write, which is Redis's appendonly-disabled case: WAITAOF with
 * numlocal 1 answers Redis's error for it, and with numlocal 0 counts no local fsync.
 */
final class WaitCommands {
    private WaitCommands() {}

    static void register(CommandTable t) {
        CommandTable.Group generic = t.group("generic");
        generic.add("wait", 3, "", NONE, "3.0.0", WaitCommands::waitReplicas) // 7.2: scripts may call it
                .categories("connection")
                .doc("Blocks until the writes of the connection reach replicas (Strata has none: answers 0 at once).");
        generic.add("waitaof", 4, "noscript", NONE, "7.2.0", WaitCommands::waitAof)
                .categories("connection")
                .doc("Blocks until the writes of the connection are fsynced (answers at once: see WAITAOF's notes).");
    }

    static void waitReplicas(Request r) {
        r.longArg(1);
        timeout(r, 2);
        r.out.integer(0);
    }

    static void waitAof(Request r) {
        long local = r.longArg(1);
        if (local < 0 || local > 1) {
            throw new CommandError("ERR value is out of range, value must between 0 and 1");
        }
        if (r.longArg(2) < 0) {
            throw new CommandError("ERR value is out of range, must be positive");
        }
        timeout(r, 3);
        boolean synced = r.server.config().sync();
        if (local == 1 && !synced) {
            throw new CommandError("ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.");
        }
        r.out.array(2);
        r.out.integer(synced ? 1 : 0);
        r.out.integer(0);
    }

    /** A timeout in milliseconds: checked as Redis checks it, then unused (nothing is waited for). */
    private static void timeout(Request r, int i) {
        long ms;
        try {
            ms = r.longArg(i);
        } catch (CommandError e) {
            throw new CommandError("ERR timeout is not an integer or out of range");
        }
        if (ms < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        if (ms > 0 && ms > Long.MAX_VALUE - r.ks.now()) {
            throw new CommandError("ERR timeout is out of range");
        }
    }
}
