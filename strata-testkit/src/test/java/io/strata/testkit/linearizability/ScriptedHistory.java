package io.strata.testkit.linearizability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * A history written as ops with given times in microseconds, replayed into a {@link History} on a
 * clock of its own: each invocation and completion is made, in time order, with the clock at its
 * time (an invocation before a completion at the same time).
 */
final class ScriptedHistory {
    /** The completion time of an op never completed. */
    static final long NEVER = Long.MAX_VALUE;

    private record Scripted(int client, Command command, long invokeAt, long completeAt, Consumer<Op> completion) {}

    private record Event(long at, boolean completion, int index) {}

    private final List<Scripted> ops = new ArrayList<>();

    /** Adds an op of {@code client}: invoked at {@code invokeAt}, completed at {@code completeAt}. */
    ScriptedHistory op(int client, Command command, long invokeAt, long completeAt, Consumer<Op> completion) {
        if (completeAt < invokeAt) {
            throw new IllegalArgumentException(command + " completes before it is invoked");
        }
        ops.add(new Scripted(client, command, invokeAt, completeAt, completion));
        return this;
    }

    static Consumer<Op> ok(String reply) {
        return op -> op.ok(reply);
    }

    static Consumer<Op> ok(long reply) {
        return op -> op.ok(reply);
    }

    static Consumer<Op> error(String message) {
        return op -> op.error(message);
    }

    static Consumer<Op> fail() {
        return Op::fail;
    }

    static Consumer<Op> unknown() {
        return Op::unknown;
    }

    int size() {
        return ops.size();
    }

    History toHistory() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            events.add(new Event(ops.get(i).invokeAt(), false, i));
            if (ops.get(i).completeAt() != NEVER) {
                events.add(new Event(ops.get(i).completeAt(), true, i));
            }
        }
        events.sort(Comparator.comparingLong(Event::at)
                .thenComparing(Event::completion)
                .thenComparingInt(Event::index));
        long[] now = {0};
        History history = new History(() -> now[0]);
        Op[] invoked = new Op[ops.size()];
        for (Event event : events) {
            now[0] = event.at() * 1000;
            Scripted op = ops.get(event.index());
            if (event.completion()) {
                op.completion().accept(invoked[event.index()]);
            } else {
                invoked[event.index()] = history.invoke(op.client(), op.command());
            }
        }
        return history;
    }
}
