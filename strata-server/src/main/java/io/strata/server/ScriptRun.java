package io.strata.server;

import io.strata.server.acl.AclCheck;
import io.strata.server.acl.Denial;
import io.strata.server.replication.Replication;
import io.strata.server.resp.ReplyBuffer;
import io.strata.server.script.RunningScript;
import io.strata.server.script.Script;
import io.strata.server.script.ScriptError;
import io.strata.server.script.ScriptHost;
import io.strata.server.store.Keyspace;
import java.util.List;

/**
 * One script's run, atomic as a transaction ({@link Exec}): it runs with every stripe lock
 * held, its commands over a view of the keyspace whose reads see its earlier writes, and what
 * it wrote is stored at the end as one engine batch (one replicated entry on a cluster node).
 * If storing fails the reply is that error and nothing was written. A script that fails after
 * writing keeps its writes, as in Redis 7 (no rollback): they are stored, and the reply is the
 * script's error.
 *
 * <p>Each command the script calls is checked as Redis checks it: known, with its arity, not
 * flagged noscript, allowed to the connection's user (command and keys), not a write in a
 * read-only script; and it is counted in the command statistics under its own name.
 *
 * <p>While it runs, other connections see it through {@link Scripts#running}: past
 * busy-reply-threshold they are answered BUSY, and SCRIPT KILL stops it if it has not written.
 */
final class ScriptRun implements ScriptHost {
    private final Request eval;
    private final Keyspace view;
    private final boolean readOnly;
    private final RunningScript state;

    private ScriptRun(Request eval, Keyspace view, boolean readOnly, RunningScript state) {
        this.eval = eval;
        this.view = view;
        this.readOnly = readOnly;
        this.state = state;
    }

    /**
     * Runs a script on this node and replies to it.
     *
     * @param readOnly refuse its writes (EVAL_RO, EVALSHA_RO, a no-writes shebang)
     * @param replication the group this node leads, or null (standalone, or a read-only script)
     */
    static void run(
            Request r, Script script, List<byte[]> keys, List<byte[]> args, boolean readOnly, Replication replication) {
        if (r.ks.inTransaction()) {
            // Queued in a transaction: EXEC holds every stripe, and its view's batch stores the
            // script's writes with the transaction's (its reads see the writes queued before it).
            runOver(r, r.ks, script, keys, args, readOnly, r.out).errors().forEach(r::failed);
            return;
        }
        Keyspace ks = r.server.keyspace();
        try (Keyspace.Locked ignored = ks.lockAll()) {
            Keyspace view = ks.transaction();
            ReplyBuffer reply = new ReplyBuffer(r.client.protocol);
            Outcome outcome = runOver(r, view, script, keys, args, readOnly, reply.out());
            if (outcome.state().abandoned()) {
                r.out.raw(reply.take()); // the server is stopping: the script stopped, and writes nothing
                return;
            }
            if (!ks.commit(view) && replication != null) {
                replication.awaitRead(); // nothing proposed, so nothing confirmed this node still leads
            }
            outcome.errors().forEach(r::failed);
            r.out.raw(reply.take());
        }
    }

    /** A run's state at its end, and the errors it replied. */
    private record Outcome(RunningScript state, List<ScriptError> errors) {}

    /** Runs the script over {@code view}, published as the running script meanwhile; its reply to {@code out}. */
    private static Outcome runOver(
            Request r,
            Keyspace view,
            Script script,
            List<byte[]> keys,
            List<byte[]> args,
            boolean readOnly,
            io.strata.server.resp.RespWriter out) {
        Scripts scripts = r.server.scripts();
        RunningScript state = new RunningScript(script.sha());
        scripts.running(state);
        try {
            return new Outcome(
                    state,
                    scripts.sandbox()
                            .run(
                                    script.code(),
                                    script.sha(),
                                    keys,
                                    args,
                                    new ScriptRun(r, view, readOnly, state),
                                    state,
                                    out));
        } finally {
            scripts.running(null);
        }
    }

    @Override
    public byte[] call(byte[][] argv, int protocol) {
        ReplyBuffer reply = new ReplyBuffer(protocol);
        StrataServer server = eval.server;
        CommandSpec spec = server.commands().of(argv);
        String refusal = refusal(spec, argv);
        if (refusal != null) {
            server.stats().errorReply(refusal);
            reply.out().error(refusal);
            return reply.take();
        }
        if (spec.write() && !state.writing()) {
            throw server.scripts().sandbox().killed(); // SCRIPT KILL came before its first write
        }
        long t0 = System.nanoTime();
        Request r = new Request(argv, spec, eval.client, reply.out(), server, null, t0, view, false);
        String failure = Dispatcher.runHandler(spec, r);
        if (failure != null) {
            server.stats().errorReply(failure);
            reply.out().error(failure);
        }
        CommandRecorder.ran(server, null, spec, argv, System.nanoTime() - t0, failure != null || r.failed());
        Monitor.feedFromScript(server, eval.client, spec, argv);
        return reply.take();
    }

    /** Why the script may not run this command, as Redis words it, or null if it may. */
    private String refusal(CommandSpec spec, byte[][] argv) {
        if (spec == null) {
            return "ERR Unknown Redis command called from script";
        }
        if (!spec.arityOk(argv.length)) {
            return "ERR Wrong number of args calling Redis command from script";
        }
        CommandSpec target = spec.target(argv);
        if (target.flags().contains("noscript")) {
            return "ERR This Redis command is not allowed from script";
        }
        Denial d = AclCheck.check(eval.client.user.user(), target.acl(), argv);
        if (d != null) {
            (d.reason().equals("key") ? eval.server.stats().aclDeniedKey : eval.server.stats().aclDeniedCommand).add(1);
            return d.reason().equals("key")
                    ? "ERR The user executing the script can't access at least one of the keys mentioned in the "
                            + "command arguments"
                    : "ERR The user executing the script can't run this command or subcommand";
        }
        if (spec.write() && readOnly) {
            return "ERR Write commands are not allowed from read-only scripts.";
        }
        return null;
    }

    @Override
    public Boolean permitted(byte[][] argv) {
        CommandSpec spec = eval.server.commands().of(argv);
        if (spec == null) {
            return null;
        }
        return AclCheck.check(eval.client.user.user(), spec.target(argv).acl(), argv) == null;
    }
}
