package io.strata.testkit.linearizability;

import java.util.Locale;

/**
 * One operation of a history as the checker reads it: immutable. {@code reply} is what an {@link
 * Outcome#OK} reply said (the String of a SET or GET, null for a nil GET, the Long of an INCR or
 * DEL) or an {@link Outcome#ERROR}'s message, and null otherwise. {@code completeNanos} is
 * meaningful unless the outcome is {@link Outcome#PENDING}.
 */
record RecordedOp(
        int id, int clientId, Command command, long invokeNanos, long completeNanos, Outcome outcome, Object reply) {

    /** Whether the reply constrains the model; if not, the op's effect is unknown and its result unconstrained. */
    boolean replied() {
        return outcome == Outcome.OK || outcome == Outcome.ERROR;
    }

    /** The op for a failure message, its times in milliseconds after {@code originNanos}. */
    String describe(long originNanos) {
        String completion = outcome == Outcome.PENDING ? "never completed" : millis(completeNanos - originNanos);
        return String.format(
                Locale.ROOT,
                "#%d client %d %s -> %s [%s .. %s]",
                id,
                clientId,
                command,
                describeReply(),
                millis(invokeNanos - originNanos),
                completion);
    }

    private String describeReply() {
        return switch (outcome) {
            case OK -> reply instanceof String ? "\"" + reply + "\"" : String.valueOf(reply);
            case ERROR -> "error \"" + reply + "\"";
            default -> outcome.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
