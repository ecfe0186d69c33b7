package io.strata.testkit.linearizability;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The operations concurrent test clients invoked, and how each ended, with the time of both: what
 * {@link LinearizabilityChecker} checks. Thread-safe. A client calls {@link #invoke} just before it
 * sends the command and completes the returned {@link Op} as soon as it has the reply (or gives up).
 */
public final class History {
    private final LongSupplier clock;
    private final long originNanos;
    private final Object lock = new Object();

    /** In invocation order: ids are indexes, and the clock is read under the lock, so invoke times never decrease. */
    @GuardedBy("lock")
    private final List<Op> ops = new ArrayList<>();

    public History() {
        this(System::nanoTime);
    }

    /** A history on another clock (tests that script times); it must never go backwards. */
    History(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.originNanos = clock.getAsLong();
    }

    /** Records that {@code clientId} is about to send {@code command}. */
    public Op invoke(int clientId, Command command) {
        Objects.requireNonNull(command, "command");
        synchronized (lock) {
            Op op = new Op(ops.size(), clientId, command, clock.getAsLong(), clock);
            ops.add(op);
            return op;
        }
    }

    /** The number of operations invoked so far. */
    public int size() {
        synchronized (lock) {
            return ops.size();
        }
    }

    /** Every op as it stands now, in invocation order; ops still open are {@link Outcome#PENDING}. */
    List<RecordedOp> record() {
        List<Op> invoked;
        synchronized (lock) {
            invoked = new ArrayList<>(ops);
        }
        List<RecordedOp> recorded = new ArrayList<>(invoked.size());
        for (Op op : invoked) {
            recorded.add(op.record());
        }
        return recorded;
    }

    /** When the history began: failure messages give times relative to it. */
    long originNanos() {
        return originNanos;
    }
}
