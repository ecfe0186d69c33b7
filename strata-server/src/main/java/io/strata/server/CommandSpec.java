package io.strata.server;

import java.util.List;

/**
 * One command as COMMAND reports it: arity in Redis's convention (n = exactly n arguments with
 * the name, -n = at least n), flags, the positions of its keys, and its documentation; and how
 * it runs.
 *
 * @param batchable whether the handler may hand a blind write to the connection's write batch
 *     ({@link Request#storeBlindWrite}); the batch is committed before any other command runs
 */
record CommandSpec(
        String name,
        int arity,
        List<String> flags,
        CommandTable.Keys keys,
        String group,
        String since,
        String summary,
        Handler handler,
        boolean batchable) {

    /** Runs a command; replies through the request's writer or throws {@link CommandError}. */
    @FunctionalInterface
    interface Handler {
        void run(Request r);
    }

    boolean arityOk(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    boolean noAuth() {
        return flags.contains("no_auth");
    }

    boolean write() {
        return flags.contains("write");
    }

    boolean readonly() {
        return flags.contains("readonly");
    }
}
