package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;

import io.strata.server.replication.Replication;
import io.strata.server.script.LuaSandbox;
import io.strata.server.script.RunningScript;
import io.strata.server.script.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (LOAD, EXISTS, FLUSH, KILL, HELP), with Redis
 * 7's replies; a script runs as {@link ScriptRun} describes. FUNCTION is not provided.
 *
 * <p>On a cluster node a script that may write runs on the leader, as EXEC does: a follower
 * forwards it, always as an EVAL with the body (so an EVALSHA works on a follower that knows the
 * script even if the leader does not). A read-only one (EVAL_RO, EVALSHA_RO, or a script whose
 * shebang says no-writes) runs where it is sent, after Raft's ReadIndex as any read. SCRIPT
 * LOAD, EXISTS and FLUSH act on the node they are sent to: each node has its own cache.
 */
final class ScriptCommands {
    private ScriptCommands() {}

    static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

    /** The flags of EVAL and EVALSHA in Redis 7 (EVAL_RO and EVALSHA_RO add readonly). */
    private static final String FLAGS = "noscript stale skip_monitor no_mandatory_keys movablekeys";

    static void register(CommandTable t) {
        CommandTable.Group g = t.group("scripting");
        g.add("eval", -3, FLAGS, NONE, "2.6.0", r -> eval(r, false, false))
                .categories("scripting")
                .doc("Executes a server-side Lua script (atomically: one engine batch, one replicated entry).");
        g.add("evalsha", -3, FLAGS, NONE, "2.6.0", r -> eval(r, true, false))
                .categories("scripting")
                .doc("Executes a server-side Lua script by SHA1 digest.");
        g.add("eval_ro", -3, "readonly " + FLAGS, NONE, "7.0.0", r -> eval(r, false, true))
                .categories("scripting")
                .doc("Executes a read-only server-side Lua script.");
        g.add("evalsha_ro", -3, "readonly " + FLAGS, NONE, "7.0.0", r -> eval(r, true, true))
                .categories("scripting")
                .doc("Executes a read-only server-side Lua script by SHA1 digest.");
        g.add("script", -2, "", NONE, "2.6.0", ScriptCommands::script)
                .sub("load", 3, "noscript stale", NONE, "scripting")
                .sub("exists", -3, "noscript", NONE, "scripting")
                .sub("flush", -2, "noscript", NONE, "scripting")
                .sub("kill", 2, "noscript allow_busy", NONE, "scripting")
                .sub("help", 2, "loading stale", NONE, "scripting")
                .doc("A container for Lua scripts management commands.");
    }

    /**
     * EVAL and its forms: {@code script numkeys key... arg...}.
     *
     * @param bySha the first argument is a script's SHA1, not its body
     * @param readOnly EVAL_RO, EVALSHA_RO: the script may not write
     */
    static void eval(Request r, boolean bySha, boolean readOnly) {
        long numKeys = r.longArg(2);
        if (numKeys < 0) {
            throw new CommandError("ERR Number of keys can't be negative");
        }
        if (numKeys > r.argc() - 3) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        Script script = bySha ? bySha(r) : load(r, 1);
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> args = new ArrayList<>();
        for (int i = 3; i < r.argc(); i++) {
            (i < 3 + numKeys ? keys : args).add(r.argv[i]);
        }
        boolean noWrites = readOnly || script.noWrites();
        Replication replication = r.server.replication();
        if (replication == null || r.ks.inTransaction()) { // (in EXEC: on the leader already, every stripe held)
            ScriptRun.run(r, script, keys, args, noWrites, null);
        } else if (noWrites) {
            if (!readOnly && !r.client.staleReads) {
                replication.awaitRead(); // (EVAL_RO is a readonly command: the dispatcher has waited)
            }
            ScriptRun.run(r, script, keys, args, true, null);
        } else if (replication.beginWrite()) {
            try {
                ScriptRun.run(r, script, keys, args, false, replication);
            } finally {
                replication.endWrite();
            }
        } else {
            byte[][] forwarded = r.argv.clone();
            forwarded[0] = "EVAL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            forwarded[1] = script.body();
            r.out.raw(replication.forward(List.<byte[][]>of(forwarded), r.client.protocol, r.client.user.name()));
        }
    }

    private static Script bySha(Request r) {
        Script s = r.server.scripts().cache().get(r.str(1));
        if (s == null) {
            throw new CommandError(NOSCRIPT);
        }
        return s;
    }

    /** The script whose body is argument {@code i}, compiled and cached if new. */
    private static Script load(Request r, int i) {
        try {
            return r.server.scripts().cache().load(r.argv[i]);
        } catch (LuaSandbox.ScriptCompileError e) {
            throw new CommandError(e.getMessage());
        }
    }

    static void script(Request r) {
        String sub = r.str(1).toLowerCase(Locale.ROOT);
        Scripts scripts = r.server.scripts();
        switch (sub) {
            case "load" -> {
                ConnectionCommands.arity(r, 3, "script|load");
                r.out.bulk(load(r, 2).sha());
            }
            case "exists" -> {
                if (r.argc() < 3) {
                    throw CommandError.arity("script|exists");
                }
                r.out.array(r.argc() - 2);
                for (int i = 2; i < r.argc(); i++) {
                    r.out.integer(scripts.cache().get(r.str(i)) != null ? 1 : 0);
                }
            }
            case "flush" -> {
                if (r.argc() > 3 || (r.argc() == 3 && !r.is(2, "SYNC") && !r.is(2, "ASYNC"))) {
                    throw new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
                }
                scripts.cache().flush(); // (ASYNC too: dropping the map is all there is to it)
                r.out.ok();
            }
            case "kill" -> {
                ConnectionCommands.arity(r, 2, "script|kill");
                kill(r, scripts.running());
            }
            case "help" -> {
                ConnectionCommands.arity(r, 2, "script|help");
                ConnectionCommands.help(
                        r.out,
                        "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "EXISTS <sha1> [<sha1> ...]",
                        "    Return information about the existence of the scripts in the script cache.",
                        "FLUSH [ASYNC|SYNC]",
                        "    Flush the Lua scripts cache. Very dangerous on replicas.",
                        "    Strata: ASYNC and SYNC both empty the cache at once.",
                        "KILL",
                        "    Kill the currently executing Lua script.",
                        "LOAD <script>",
                        "    Load a script into the scripts cache without executing it.",
                        "HELP",
                        "    Prints this help.");
            }
            default -> throw CommandError.unknownSubcommand(r.str(1), "script");
        }
    }

    private static void kill(Request r, RunningScript running) {
        if (running == null) {
            throw new CommandError("NOTBUSY No scripts in execution right now.");
        }
        if (!running.kill()) {
            throw new CommandError("UNKILLABLE Sorry the script already executed write commands against the "
                    + "dataset. You can either wait the script termination or kill the server in a hard way using "
                    + "the SHUTDOWN NOSAVE command.");
        }
        r.out.ok();
    }
}
