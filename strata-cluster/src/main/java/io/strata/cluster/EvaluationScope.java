package io.strata.cluster;

/**
 * The term in which the write command running on this thread began, on the leader: what it
 * proposes carries it, and applies only if appended in that same term, so a command whose reads
 * straddled a change of leadership writes nothing ({@link WriteEntry#evaluationTerm}). Command
 * threads are the server's; a thread with no command in progress proposes with term 0, which
 * only blind writes (gathered SETs, which read nothing) do.
 */
final class EvaluationScope {
    private static final ThreadLocal<long[]> TERM = ThreadLocal.withInitial(() -> new long[1]);

    private EvaluationScope() {}

    static void begin(long term) {
        TERM.get()[0] = term;
    }

    static void end() {
        TERM.get()[0] = 0;
    }

    /** The term of the command in progress on this thread, or 0. */
    static long term() {
        return TERM.get()[0];
    }
}
