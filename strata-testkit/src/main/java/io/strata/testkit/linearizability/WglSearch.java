package io.strata.testkit.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Wing–Gong–Lowe search for a linearization of one key's history, iterative, with Lowe's
 * memoisation of the configurations entered (see {@link VisitedConfigurations}).
 *
 * <p>Each op has a call event at its invocation and a return event at its completion; an op
 * without a reply (unknown outcome, never completed) returns at +infinity, after every other
 * event. The events not yet linearized form a doubly linked list in time order (calls before
 * returns at equal times: such ops count as concurrent). The ops that may come next are those whose
 * calls precede the list's first return: that op must come before every op invoked after it
 * completed. The search places one (checking its reply against the model), removes both its events
 * from the list and starts again from the list's head; at a return event none of the ops before it
 * led anywhere, so it takes back the last op placed and tries the one after it. Ops with replies
 * are tried before ops without, as these can be placed at any later point just as well.
 *
 * <p>An op without a reply may also never take effect: it can be placed after every op with a reply,
 * where nothing sees it, so the history is linearizable once every op with a reply is placed. Three
 * rules keep such ops from multiplying the configurations, each sound because it only skips a
 * configuration that another, with as many choices left, stands for: one is not placed where it
 * leaves the value as it is (not placing it leaves it for later); one that overwrites (SET, DEL) is
 * not placed right after another without a reply (whose effect it would hide: placing it without
 * the other first is the same, with the other still left); and of those with equal commands, which
 * are interchangeable once both are invoked, the later invoked is placed only after the earlier.
 */
final class WglSearch {
    /** How many of the last ops placed a violation report shows. */
    private static final int RECENT = 8;

    /** How many of the ops that could come next a violation report lists. */
    private static final int OPEN_SHOWN = 24;

    /** Loop turns between two looks at the clock. */
    private static final int CLOCK_STRIDE = 1024;

    private final String key;
    private final List<RecordedOp> ops;
    private final long originNanos;
    private final long deadlineNanos;
    private final int size;
    private final boolean[] unreplied;
    private final int repliedCount;

    /** For an op without a reply, the last one invoked before it with an equal command, or -1. */
    private final int[] previousTwin;

    /** The event list: call of op i is 2i, its return 2i+1; then the head and tail sentinels. */
    private final int head;

    private final int[] next;
    private final int[] prev;

    /** Op i's bit in {@link #placedReplied} or, if it has no reply, in {@link #placedUnreplied}. */
    private final int[] bit;

    private final VisitedConfigurations visited = new VisitedConfigurations();
    private final long[] placedReplied;
    private final long[] placedUnreplied;
    private long placedRepliedHash;

    /** The ops placed, in order, with the value and the after-unreplied flag from before each. */
    private final int[] placed;

    private final String[] valueBefore;
    private final boolean[] afterUnrepliedBefore;
    private int depth;

    /** The dead end with the most ops placed: what a violation report shows. */
    private int stuckDepth = -1;

    private String stuckValue;
    private int[] stuckRecent;
    private int[] stuckOpen;
    private int stuckBlocking;

    private WglSearch(String key, List<RecordedOp> ops, long originNanos, long deadlineNanos) {
        this.key = key;
        this.ops = ops;
        this.originNanos = originNanos;
        this.deadlineNanos = deadlineNanos;
        this.size = ops.size();
        this.unreplied = new boolean[size];
        this.previousTwin = new int[size];
        this.bit = new int[size];
        Map<Command, Integer> lastUnreplied = new HashMap<>();
        int replied = 0;
        for (int i = 0; i < size; i++) {
            unreplied[i] = !ops.get(i).replied();
            previousTwin[i] = -1;
            if (unreplied[i]) {
                Integer twin = lastUnreplied.put(ops.get(i).command(), i);
                previousTwin[i] = twin == null ? -1 : twin;
                bit[i] = i - replied;
            } else {
                bit[i] = replied++;
            }
        }
        this.repliedCount = replied;
        this.head = 2 * size;
        this.next = new int[2 * size + 2];
        this.prev = new int[2 * size + 2];
        linkEventsInTimeOrder();
        this.placedReplied = new long[(replied + 63) >>> 6];
        this.placedUnreplied = new long[(size - replied + 63) >>> 6];
        this.placed = new int[size];
        this.valueBefore = new String[size];
        this.afterUnrepliedBefore = new boolean[size];
    }

    /**
     * Checks one key's ops: those with replies, and those without that may have taken effect (the
     * caller drops the ones that surely did not, and reads without replies), in invocation order.
     */
    static CheckResult check(String key, List<RecordedOp> ops, long originNanos, long deadlineNanos) {
        return new WglSearch(key, ops, originNanos, deadlineNanos).run();
    }

    private void linkEventsInTimeOrder() {
        Integer[] events = new Integer[2 * size];
        for (int e = 0; e < events.length; e++) {
            events[e] = e;
        }
        Arrays.sort(
                events,
                Comparator.<Integer>comparingInt(e -> isReturn(e) && unreplied[e >>> 1] ? 1 : 0)
                        .thenComparingLong(this::eventTime)
                        .thenComparingInt(e -> isReturn(e) ? 1 : 0));
        int tail = head + 1;
        int last = head;
        for (int e : events) {
            next[last] = e;
            prev[e] = last;
            last = e;
        }
        next[last] = tail;
        prev[tail] = last;
    }

    /** Relative to the origin, so that comparisons hold even if the clock's values wrap. */
    private long eventTime(int event) {
        RecordedOp op = ops.get(event >>> 1);
        return (isReturn(event) ? op.completeNanos() : op.invokeNanos()) - originNanos;
    }

    private static boolean isReturn(int event) {
        return (event & 1) == 1;
    }

    private CheckResult run() {
        String value = null;
        boolean afterUnreplied = false;
        int repliedPlaced = 0;
        boolean unrepliedPass = false;
        int event = next[head];
        long turns = 0;
        while (repliedPlaced < repliedCount) {
            if (++turns % CLOCK_STRIDE == 0 && System.nanoTime() - deadlineNanos > 0) {
                return timedOut();
            }
            if (isReturn(event)) {
                if (!unrepliedPass) {
                    unrepliedPass = true;
                    event = next[head];
                    continue;
                }
                noteDeadEnd(value, event);
                if (depth == 0) {
                    return violation();
                }
                depth--;
                int op = placed[depth];
                value = valueBefore[depth];
                afterUnreplied = afterUnrepliedBefore[depth];
                flip(op);
                unlift(op);
                repliedPlaced -= unreplied[op] ? 0 : 1;
                unrepliedPass = unreplied[op];
                event = next[2 * op];
                continue;
            }
            int op = event >>> 1;
            if (unreplied[op] != unrepliedPass || !mayComeNext(op, value, afterUnreplied)) {
                event = next[event];
                continue;
            }
            String after = StringKeyModel.apply(value, ops.get(op));
            flip(op);
            if (!visited.enter(placedReplied, placedRepliedHash, placedUnreplied, after, unreplied[op])) {
                flip(op);
                event = next[event];
                continue;
            }
            placed[depth] = op;
            valueBefore[depth] = value;
            afterUnrepliedBefore[depth] = afterUnreplied;
            depth++;
            value = after;
            afterUnreplied = unreplied[op];
            lift(op);
            repliedPlaced += unreplied[op] ? 0 : 1;
            unrepliedPass = false;
            event = next[head];
        }
        return new CheckResult(
                CheckResult.Verdict.LINEARIZABLE,
                String.format(
                        "key \"%s\": %d ops (%d without reply) linearizable, %d configurations visited",
                        key, size, size - repliedCount, visited.size()));
    }

    private boolean mayComeNext(int op, String value, boolean afterUnreplied) {
        RecordedOp recorded = ops.get(op);
        if (!unreplied[op]) {
            return StringKeyModel.allows(value, recorded);
        }
        int twin = previousTwin[op];
        if (twin >= 0 && (placedUnreplied[bit[twin] >>> 6] & (1L << bit[twin])) == 0) {
            return false;
        }
        if (afterUnreplied && StringKeyModel.overwrites(recorded.command())) {
            return false;
        }
        return !Objects.equals(StringKeyModel.apply(value, recorded), value);
    }

    private void flip(int op) {
        int b = bit[op];
        if (unreplied[op]) {
            placedUnreplied[b >>> 6] ^= 1L << b;
        } else {
            placedReplied[b >>> 6] ^= 1L << b;
            placedRepliedHash ^= VisitedConfigurations.key(b);
        }
    }

    /** Takes op's call and return events out of the list (dancing links: they keep their own links). */
    private void lift(int op) {
        int call = 2 * op;
        int ret = call + 1;
        next[prev[call]] = next[call];
        prev[next[call]] = prev[call];
        next[prev[ret]] = next[ret];
        prev[next[ret]] = prev[ret];
    }

    /** Puts back the events {@link #lift} took out, in the reverse order, while the list is as lift left it. */
    private void unlift(int op) {
        int call = 2 * op;
        int ret = call + 1;
        next[prev[ret]] = ret;
        prev[next[ret]] = ret;
        next[prev[call]] = call;
        prev[next[call]] = call;
    }

    private void noteDeadEnd(String value, int firstReturn) {
        if (depth <= stuckDepth) {
            return;
        }
        stuckDepth = depth;
        stuckValue = value;
        stuckRecent = Arrays.copyOfRange(placed, Math.max(0, depth - RECENT), depth);
        List<Integer> open = new ArrayList<>();
        for (int e = next[head]; e != firstReturn; e = next[e]) {
            open.add(e >>> 1);
        }
        open.sort(Comparator.comparing((Integer op) -> unreplied[op]).thenComparingInt(op -> op));
        stuckOpen = open.stream().mapToInt(Integer::intValue).toArray();
        stuckBlocking = firstReturn >>> 1;
    }

    private CheckResult violation() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                "key \"%s\" is not linearizable (%d ops, %d without reply).%n", key, size, size - repliedCount));
        s.append(String.format(
                "The longest linearization found places %d ops, leaving the key %s;", stuckDepth, show(stuckValue)));
        if (stuckRecent.length == 0) {
            s.append(String.format("%n"));
        } else {
            s.append(String.format(" the last of them:%n"));
            for (int op : stuckRecent) {
                s.append("    ").append(describe(op)).append(String.format("%n"));
            }
        }
        RecordedOp blocking = ops.get(stuckBlocking);
        s.append(String.format(
                "Next must come one of the ops invoked before #%d completed, and none of them leads to a"
                        + " linearization:%n",
                blocking.id()));
        for (int i = 0; i < Math.min(stuckOpen.length, OPEN_SHOWN); i++) {
            s.append("    ").append(describe(stuckOpen[i])).append(String.format("%n"));
        }
        if (stuckOpen.length > OPEN_SHOWN) {
            s.append(String.format("    ... and %d more without reply%n", stuckOpen.length - OPEN_SHOWN));
        }
        return new CheckResult(CheckResult.Verdict.VIOLATION, s.toString().trim());
    }

    private CheckResult timedOut() {
        return new CheckResult(
                CheckResult.Verdict.TIMED_OUT,
                String.format(
                        "key \"%s\": no verdict within the time budget (%d ops, %d without reply; %d"
                                + " configurations visited, the longest linearization found places %d ops)",
                        key, size, size - repliedCount, visited.size(), Math.max(depth, stuckDepth)));
    }

    private String describe(int op) {
        return ops.get(op).describe(originNanos);
    }

    private static String show(String value) {
        return value == null ? "absent" : "holding \"" + value + "\"";
    }
}
