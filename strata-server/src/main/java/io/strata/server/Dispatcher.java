package io.strata.server;

import io.strata.NotCachedException;
import io.strata.StoreClosedException;
import io.strata.StrataException;
import io.strata.server.filter.WriteRejectedException;
import io.strata.server.replication.Replication;
import io.strata.server.replication.ReplicationException;
import io.strata.server.resp.RespWriter;
import io.strata.server.store.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's requests, in order: looks each command up, checks its arity and the
 * connection's authentication and permissions ({@link AccessControl}), runs its handler, turns
 * what the handler throws into an error reply, and records the command's metrics.
 *
 * <p>A {@link CommandSpec#batchable} command's handler may hand its blind write to the
 * connection's {@link WriteBatcher}; before any other command, and before every error reply,
 * the gathered writes are committed and replied to, so replies stay in request order and each
 * command sees the writes before it.
 *
 * <p>Inside a transaction (after MULTI) a command is queued, replying QUEUED, unless it is one
 * of {@link Transaction#RUN_AT_ONCE}; one refused meanwhile (unknown, wrong arity, not allowed
 * in a transaction) makes the EXEC abort, as in Redis. A queued command's metrics are recorded
 * when EXEC runs it.
 *
 * <p>While a script has run past busy-reply-threshold, every command without the allow_busy
 * flag (SCRIPT KILL, SHUTDOWN, ...) is answered BUSY ({@link Scripts}).
 *
 * <p>On a cluster node ({@link StrataServer#replication()} not null) a write command runs here
 * only while this node leads the group and has caught up ({@link Replication#beginWrite});
 * otherwise the leader runs it and its reply is passed on as it came. A read command first
 * waits for Raft's ReadIndex ({@link Replication#awaitRead}), unless its connection asked for
 * stale reads with READONLY. Other commands (connection, server administration) are local.
 *
 * <p>A GET may run on the connection's I/O thread ({@link #executeInline}): reading from memory
 * only, it either answers or, where it would read a file, runs as though never started, for the
 * caller to run it on the command thread.
 *
 * <p>Confined to the thread running the connection's commands: its I/O thread or its command
 * thread, handed over by task submission ({@link ClientHandler}); for a script command, the
 * script thread running it with a dispatcher of its own.
 */
final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final StrataServer server;
    private final Client client;
    private final RespWriter out;
    private final WriteBatcher batcher;
    /** What a RESP2 connection with a subscription may run (Redis's subscribed mode). */
    private static final Set<String> SUBSCRIBED_MODE = Set.of(
            "subscribe",
            "unsubscribe",
            "psubscribe",
            "punsubscribe",
            "ssubscribe",
            "sunsubscribe",
            "ping",
            "quit",
            "reset");

    /** Whether the command being run has replied with an error (for its metrics). */
    private boolean failed;
    /** The command being run, once looked up; null for one the server does not know (for its metrics). */
    private CommandSpec current;
    /** Whether the command being run reached its handler: an error before that refused it (rejected_calls). */
    private boolean ran;
    /** The command being run runs on the I/O thread ({@link #executeInline}): it must read no file. */
    private boolean inline;

    Dispatcher(StrataServer server, Client client, RespWriter out, WriteBatcher batcher) {
        this.server = server;
        this.client = client;
        this.out = out;
        this.batcher = batcher;
    }

    /**
     * Runs one request; its reply is encoded into the writer now, or when its batch commits. After
     * CLIENT REPLY SKIP it is the one whose reply is dropped: its batch commits while the writer
     * is muted.
     */
    void execute(byte[][] argv) {
        if (client.replyMode != ReplyMode.SKIP) {
            measured(argv);
            return;
        }
        client.replyMode = ReplyMode.ON;
        out.mute(true);
        measured(argv);
        batcher.commit();
        out.mute(client.replyMode == ReplyMode.OFF);
    }

    /**
     * Whether {@link #executeInline} may try this request: a GET, with nothing gathered to commit
     * before it (a commit waits for the log), its reply not skipped, and not on a cluster node
     * (whose reads wait for the leader's ReadIndex).
     */
    boolean mayRunInline(byte[][] argv) {
        byte[] name = argv[0];
        return name.length == 3
                && (name[0] | 0x20) == 'g'
                && (name[1] | 0x20) == 'e'
                && (name[2] | 0x20) == 't'
                && client.replyMode == ReplyMode.ON
                && batcher.isEmpty()
                && server.replication() == null;
    }

    /**
     * Runs a request {@link #mayRunInline} allows, reading from memory only. Returns false, having
     * replied and recorded nothing, when it would have read a file: the caller runs it with {@link
     * #execute} on a thread that may block.
     */
    boolean executeInline(byte[][] argv) {
        inline = true;
        try {
            measured(argv);
            server.stats().inlineCommands.add(1);
            return true;
        } catch (NotCachedException e) {
            return false;
        } finally {
            inline = false;
        }
    }

    private void measured(byte[][] argv) {
        long t0 = System.nanoTime();
        failed = false;
        ran = false;
        current = null;
        String label = run(argv, t0);
        server.stats().commandsProcessed.add(1);
        if (label == null) {
            return; // recorded later: see run
        }
        long nanos = System.nanoTime() - t0;
        if (current == null) {
            if (server.metrics().enabled()) {
                server.metrics().command(label, nanos, true);
            }
        } else if (failed && !ran) {
            CommandRecorder.rejected(server, current, argv, nanos);
        } else {
            CommandRecorder.ran(server, client, current, argv, nanos, failed);
        }
    }

    /** Commits the gathered writes, replying to them: when no more input is waiting, or before an error. */
    void commit() {
        batcher.commit();
    }

    /**
     * Runs one request. Returns the name its metrics go under ("unknown" for a command the
     * server does not know), or null when they are recorded later: its write waits in the batch
     * (recorded on commit), or it is queued in a transaction (recorded when EXEC runs it).
     */
    private String run(byte[][] argv, long startNanos) {
        String name = new String(argv[0], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        CommandSpec spec = server.commands().get(name);
        if (spec == null) {
            client.tx.refuse();
            error(unknownCommand(argv));
            return "unknown";
        }
        client.lastCommand =
                spec.subcommands().isEmpty() ? spec.name() : spec.target(argv).name();
        current = spec;
        if (!spec.arityOk(argv.length)) {
            refuse(spec, CommandError.arity(spec.name()).getMessage());
            return spec.name();
        }
        String refusal = AccessControl.refusal(server, client, spec, argv);
        if (refusal != null) {
            refuse(spec, refusal);
            return spec.name();
        }
        if (server.scripts().busy() && !spec.target(argv).flags().contains("allow_busy")) {
            refuse(spec, Scripts.BUSY);
            return spec.name();
        }
        if (client.protocol == 2 && client.subscriptions.any() && !SUBSCRIBED_MODE.contains(spec.name())) {
            refuse(
                    spec,
                    "ERR Can't execute '" + spec.target(argv).name() + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE"
                            + " / PING / QUIT / RESET are allowed in this context");
            return spec.name();
        }
        if (client.tx.open() && !Transaction.RUN_AT_ONCE.contains(spec.name())) {
            return queue(argv, spec);
        }
        boolean monitoredFirst = spec.flags().contains("skip_monitor"); // a script: before what it calls
        if (monitoredFirst) {
            Monitor.feed(server, client, spec, argv);
        }
        String label = runNow(argv, spec, startNanos);
        if (!monitoredFirst) {
            Monitor.feed(server, client, spec, argv); // after it ran, as Redis: EXEC comes after its commands
        }
        return label;
    }

    /** Runs a command that is not queued: here, or on a cluster's leader. Returns what {@link #run} does. */
    private String runNow(byte[][] argv, CommandSpec spec, long startNanos) {
        if (!spec.batchable()) {
            batcher.commit();
        }
        Replication replication = server.replication();
        if (replication == null || !(spec.write() || spec.readonly())) {
            return runHere(argv, spec, startNanos);
        }
        try {
            if (spec.readonly()) {
                if (!client.staleReads) {
                    replication.awaitRead();
                } else if (replication.failure() != null) {
                    throw new ReplicationException("CLUSTERDOWN " + replication.failure());
                }
                return runHere(argv, spec, startNanos);
            }
            if (!replication.beginWrite()) {
                batcher.commit();
                out.raw(replication.forward(Collections.singletonList(argv), client.protocol, client.user.name()));
                return spec.name();
            }
        } catch (ReplicationException e) {
            error(e.getMessage());
            return spec.name();
        }
        try {
            return runHere(argv, spec, startNanos);
        } finally {
            replication.endWrite();
        }
    }

    /**
     * Queues a command of an open transaction, replying QUEUED, or refuses it (and so the
     * transaction). Returns null: a queued command's metrics are recorded when EXEC runs it.
     */
    private String queue(byte[][] argv, CommandSpec spec) {
        if (spec.flags().contains("no_multi")) {
            client.tx.refuse();
            error("ERR Command not allowed inside a transaction");
            return spec.name();
        }
        if (!client.tx.queue(argv, server.config().clientQueryBufferLimit())) {
            error("ERR Strata: the transaction's queued commands exceed client-query-buffer-limit ("
                    + server.config().clientQueryBufferLimit() + " bytes)");
            return spec.name();
        }
        out.simple("QUEUED");
        return null;
    }

    /**
     * Runs a command's handler on this node, replying to it; returns its metrics name as {@link #run}
     * does. Its keyspace events are published once its writes are stored: now, or for a gathered
     * write when its batch commits.
     */
    private String runHere(byte[][] argv, CommandSpec spec, long startNanos) {
        Request r = new Request(argv, spec, client, out, server, batcher, startNanos, server.keyspace(), inline);
        ran = true;
        String failure = runHandler(spec, r);
        if (failure != null) {
            client.events.discard();
            error(failure);
        } else if (!r.gathered()) {
            failed |= r.failed();
            client.events.publish(server);
        }
        return r.gathered() ? null : spec.name();
    }

    /**
     * Runs a command's handler. Returns the text of its error reply when it failed (then it has
     * replied nothing: the caller sends the error), or null when it replied.
     */
    static String runHandler(CommandSpec spec, Request r) {
        try {
            spec.handler().run(r);
            r.server.accessTimes().ran(spec, r.argv, r.client, r.ks.now());
            return null;
        } catch (ReplicationException | CommandError | WriteRejectedException e) {
            return e.getMessage();
        } catch (ValueCodec.BadEncodingException e) {
            return "ERR Strata: a stored value cannot be decoded: " + e.getMessage();
        } catch (StrataException | IllegalArgumentException e) {
            log.warn("client {}: {} failed: {}", r.client.id, spec.name(), e.toString());
            return "ERR " + e.getMessage();
        } catch (StoreClosedException e) {
            // The server is stopping: the store closed under a request that was already running.
            return "ERR " + e.getMessage();
        }
    }

    /**
     * Refuses a command before it runs. Inside a transaction the refusal aborts it: a refused
     * command makes EXEC fail, and a refused EXEC ends the transaction with
     * {@code EXECABORT Transaction discarded because of: <why>}, as Redis's execCommandAbort.
     */
    private void refuse(CommandSpec spec, String text) {
        if (client.tx.open() && spec.name().equals("exec")) {
            client.tx.end();
            client.tx.unwatch(server.keyspace().watches());
            error("EXECABORT Transaction discarded because of: " + text);
            return;
        }
        client.tx.refuse();
        error(text);
    }

    /** An error reply, after the replies of the writes gathered before it. */
    private void error(String text) {
        batcher.commit();
        failed = true;
        server.stats().errorReply(text);
        out.error(text);
    }

    /** Redis's text: {@code ERR unknown command 'x', with args beginning with: 'a' 'b' }. */
    static String unknownCommand(byte[][] argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            String a = new String(argv[i], StandardCharsets.UTF_8);
            args.append('\'').append(Request.abbreviate(a, 128 - args.length())).append("' ");
        }
        return "ERR unknown command '" + Request.abbreviate(new String(argv[0], StandardCharsets.UTF_8), 128)
                + "', with args beginning with: " + args;
    }
}
