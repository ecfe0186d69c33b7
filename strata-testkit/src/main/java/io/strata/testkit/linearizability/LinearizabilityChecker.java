package io.strata.testkit.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a {@link History} of GET, SET, INCR and DEL on a Redis string key space for
 * linearizability against {@link StringKeyModel}. Linearizability is compositional, so each key's
 * ops are checked on their own ({@link WglSearch}), in key order, until one is found not
 * linearizable or the time budget runs out.
 *
 * <p>Dropped before the search, as they constrain nothing: ops that {@link Op#fail failed} (never
 * applied), and GETs without a reply. Ops without a reply (unknown outcome, or never completed)
 * stay open to the end: each takes effect at some point after its invocation, or never.
 */
public final class LinearizabilityChecker {
    private LinearizabilityChecker() {}

    /** Checks every key's ops as the history holds them now (ops still open count as unknown). */
    public static CheckResult check(History history, Duration budget) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        Map<String, List<RecordedOp>> byKey = new TreeMap<>();
        int dropped = 0;
        for (RecordedOp op : history.record()) {
            if (constrains(op)) {
                byKey.computeIfAbsent(op.command().key(), k -> new ArrayList<>())
                        .add(op);
            } else {
                dropped++;
            }
        }
        List<String> timedOut = new ArrayList<>();
        for (Map.Entry<String, List<RecordedOp>> key : byKey.entrySet()) {
            CheckResult result = WglSearch.check(key.getKey(), key.getValue(), history.originNanos(), deadline);
            if (result.verdict() == CheckResult.Verdict.VIOLATION) {
                return result;
            }
            if (result.timedOut()) {
                timedOut.add(result.description());
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String summary = String.format(
                "%d keys, %d ops (%d dropped: failed, or reads without reply), checked in %d ms",
                byKey.size(), byKey.values().stream().mapToInt(List::size).sum(), dropped, millis);
        if (!timedOut.isEmpty()) {
            return new CheckResult(
                    CheckResult.Verdict.TIMED_OUT,
                    "no violation found, but " + timedOut.size() + " keys not checked to the end within " + budget
                            + " (" + summary + "): " + String.join("; ", timedOut));
        }
        return new CheckResult(CheckResult.Verdict.LINEARIZABLE, "linearizable: " + summary);
    }

    private static boolean constrains(RecordedOp op) {
        return op.outcome() != Outcome.FAILED && (op.replied() || op.command().kind() != Command.Kind.GET);
    }
}
