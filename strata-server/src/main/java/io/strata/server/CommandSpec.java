package io.strata.server;

import io.strata.server.acl.CommandAcl;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One command as COMMAND reports it: arity in Redis's convention (n = exactly n arguments with
 * the name, -n = at least n), flags, the positions of its keys, its ACL categories and its
 * documentation; and how it runs. A container (CONFIG, CLIENT, OBJECT, ACL ...) has its
 * subcommands' specs, which ACL rules and COMMAND INFO name as {@code container|sub}; its own
 * handler runs them.
 *
 * @param batchable whether the handler may hand a blind write to the connection's write batch
 *     ({@link Request#storeBlindWrite}); the batch is committed before any other command runs
 * @param subcommands by lower-case subcommand name; empty for a command without any
 * @param stats its counts for INFO commandstats and latencystats (a container's are those of calls
 *     naming no known subcommand)
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
        boolean batchable,
        CommandAcl acl,
        Map<String, CommandSpec> subcommands,
        CommandStats stats) {

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

    /**
     * The spec a request runs under for ACL: its subcommand's if this is a container and the
     * second argument names one of its subcommands, else this one.
     */
    CommandSpec target(byte[][] argv) {
        if (subcommands.isEmpty() || argv.length < 2) {
            return this;
        }
        CommandSpec sub =
                subcommands.get(new String(argv[1], java.nio.charset.StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
        return sub != null ? sub : this;
    }
}
