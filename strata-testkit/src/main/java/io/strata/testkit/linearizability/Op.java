package io.strata.testkit.linearizability;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.function.LongSupplier;

/**
 * An operation a client invoked, from {@link History#invoke}; the client completes it once, from any
 * thread, with what it saw: {@link #ok(String)} or {@link #ok(long)}, {@link #error}, {@link #fail}
 * or {@link #unknown}. One never completed counts as unknown. Each completion reads the clock before
 * taking this op's monitor, so the time is no earlier than the reply.
 */
public final class Op {
    private final int id;
    private final int clientId;
    private final Command command;
    private final long invokeNanos;
    private final LongSupplier clock;

    @GuardedBy("this")
    private Outcome outcome = Outcome.PENDING;

    @GuardedBy("this")
    private Object reply;

    @GuardedBy("this")
    private long completeNanos;

    Op(int id, int clientId, Command command, long invokeNanos, LongSupplier clock) {
        this.id = id;
        this.clientId = clientId;
        this.command = command;
        this.invokeNanos = invokeNanos;
        this.clock = clock;
    }

    public Command command() {
        return command;
    }

    /** A SET's reply ("OK"), or a GET's value: null for a nil reply. */
    public void ok(String reply) {
        if (command.kind() != Command.Kind.GET && command.kind() != Command.Kind.SET) {
            throw new IllegalArgumentException(command + " replies with an integer, not \"" + reply + "\"");
        }
        complete(Outcome.OK, reply);
    }

    /** An INCR's new value, or the number of keys a DEL removed. */
    public void ok(long reply) {
        if (command.kind() != Command.Kind.INCR && command.kind() != Command.Kind.DEL) {
            throw new IllegalArgumentException(command + " does not reply with an integer: " + reply);
        }
        complete(Outcome.OK, reply);
    }

    /**
     * An error reply that says the command ran without effect. The model expects one only from an
     * INCR of a value that is not an integer (or would overflow); any other is a violation. An error
     * of unknown effect is {@link #unknown}; a refusal before the command was proposed is {@link #fail}.
     */
    public void error(String message) {
        complete(Outcome.ERROR, message);
    }

    /** Definitely not applied: the checker drops the op. */
    public void fail() {
        complete(Outcome.FAILED, null);
    }

    /** Timed out, or lost with its connection: it may take effect at any time after its invocation, or never. */
    public void unknown() {
        complete(Outcome.UNKNOWN, null);
    }

    private void complete(Outcome how, Object what) {
        long now = clock.getAsLong();
        synchronized (this) {
            if (outcome != Outcome.PENDING) {
                throw new IllegalStateException(describe() + " completed twice: already " + outcome + ", now " + how);
            }
            outcome = how;
            reply = what;
            completeNanos = now;
        }
    }

    synchronized RecordedOp record() {
        return new RecordedOp(id, clientId, command, invokeNanos, completeNanos, outcome, reply);
    }

    private String describe() {
        return "op #" + id + " of client " + clientId + " (" + command + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
